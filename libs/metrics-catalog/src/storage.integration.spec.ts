import { Client } from '@elastic/elasticsearch';
import {
  ecommerceEvent,
  gameEvent,
  KNOWN_ECOMMERCE_TYPES,
  KNOWN_GAME_TYPES,
} from '@rta/event-schemas/testing';
import { loadServiceEndpoints } from '@rta/service-config';
import { ElasticsearchSink } from '@rta/sink-elasticsearch';
import { PostgresSink } from '@rta/sink-postgres';
import { freshSchema, type TestSchema } from '@rta/sink-postgres/testing';
import { WindowingEngine, type EngineOutput, type WindowResult } from '@rta/windowing';
import { ecommerceMetrics, gameMetrics } from './index';

/**
 * The whole catalog through the real sinks: a new PostgreSQL schema gets every catalog table and
 * view from the catalog's specs alone, every index template is accepted, and every metric's
 * results land and read back from the views.
 */
const endpoints = loadServiceEndpoints();
const metrics = [...gameMetrics(), ...ecommerceMetrics()];
const start = Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 1e5) * 3_600_000;
let schema: TestSchema | undefined;
afterAll(() => schema?.drop());

/**
 * Live and final results; the last event (two days later) closes every window, final-only metrics
 * included.
 */
function finalsOf(engine: WindowingEngine<never>, events: unknown[]): WindowResult[] {
  const out: EngineOutput<never>[] = engine.process(0, events.slice(0, -1) as never[], 0);
  const live = engine.emitUpdates();
  out.push(...engine.process(0, events.slice(-1) as never[], 0));
  return [...out, ...live].filter(
    (o): o is WindowResult => o.kind === 'result' && o.windowStartMs < start + 86_400_000,
  );
}

it('stores every catalog metric in PostgreSQL and Elasticsearch', async () => {
  const at = (i: number) => start + i * 7_000;
  const closer = at(0) + 2 * 86_400_000;
  const game = [
    ...KNOWN_GAME_TYPES.map((t, i) => gameEvent(t, { timestamp: at(i), event_id: `g${i}` })),
    gameEvent('player_move', { timestamp: closer, event_id: 'g-closer', direction: 'north' }),
  ];
  const shop = [
    ...KNOWN_ECOMMERCE_TYPES.map((t, i) =>
      ecommerceEvent(t, { timestamp: at(i), event_id: `e${i}`, order_id: `o${i}` }),
    ),
    ecommerceEvent('search', { timestamp: closer, event_id: 'e-closer' }),
  ];
  const results = [
    ...finalsOf(new WindowingEngine(gameMetrics().map((m) => m.metric)) as never, game),
    ...finalsOf(new WindowingEngine(ecommerceMetrics().map((m) => m.metric)) as never, shop),
  ];
  expect(new Set(results.map((r) => r.metric))).toEqual(new Set(metrics.map((m) => m.metric.name)));

  schema = await freshSchema(endpoints.databaseUrl);
  const pg = await PostgresSink.open({
    connection: schema.connection,
    tables: metrics.flatMap((m) => (m.postgres ? [m.postgres] : [])),
  });
  const es = await ElasticsearchSink.open({
    client: { node: endpoints.elasticsearchUrl },
    indices: metrics.flatMap((m) => (m.elasticsearch ? [m.elasticsearch] : [])),
  });
  await Promise.all([pg.write(results), es.write(results)]);
  await Promise.all([pg.flush(), es.flush()]);

  for (const m of metrics) {
    const { rows } = await pg.database.query(
      `SELECT count(*)::int AS n FROM ${m.postgres?.table} WHERE window_start >= $1`,
      [new Date(start - 3_600_000).toISOString()],
    );
    expect({ table: m.postgres?.table, found: (rows[0] as { n: number }).n > 0 }).toEqual({
      table: m.postgres?.table,
      found: true,
    });
  }
  const client = new Client({ node: endpoints.elasticsearchUrl });
  await client.indices.refresh({ index: 'rta-*,game-events-time-agg-*' });
  for (const m of metrics) {
    const index = `${m.elasticsearch?.index}-*`;
    const { count } = await client.count({
      index,
      query: { range: { window_start: { gte: new Date(start - 3_600_000).toISOString() } } },
    });
    expect({ index, found: count > 0 }).toEqual({ index, found: true });
  }
  // seed 000's dashboards query `event_window`: an alias of window_start in its index
  const seedField = await client.count({
    index: 'game-events-time-agg-*',
    query: { range: { event_window: { gte: new Date(start - 3_600_000).toISOString() } } },
  });
  expect(seedField.count).toBeGreaterThan(0);
  const top = await pg.database.query(
    'SELECT product_id, rank FROM top_products WHERE window_start >= $1 ORDER BY rank LIMIT 1',
    [new Date(start - 3_600_000).toISOString()],
  );
  expect(top.rows).toHaveLength(1);
  await Promise.all([pg.close(), es.close(), client.close()]);
});
