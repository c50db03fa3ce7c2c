import { loadServiceEndpoints } from '@rta/service-config';
import { SinkError } from '@rta/sink-core';
import { migrate } from './migrations';
import { PostgresSink } from './sink';
import { freshWindow, retract, REVENUE, revenue, views, VIEWS } from './test-support';

/** Against the real PostgreSQL (`nx run infra:up`). */
const connection = { connectionString: loadServiceEndpoints().databaseUrl };
let sink: PostgresSink;
const rejected: { code: string; metric?: string }[] = [];

beforeAll(async () => {
  sink = await PostgresSink.open({
    connection,
    tables: [REVENUE, VIEWS],
    hooks: {
      onRejected: (_item, e) => void rejected.push({ code: e.code, metric: e.details.metric }),
    },
  });
});
afterAll(() => sink.close());

async function revenueRows(
  start: number,
): Promise<{ category: string; total_revenue: string; version: string; is_final: boolean }[]> {
  const { rows } = await sink.database.query(
    'SELECT category, total_revenue, version, is_final FROM category_revenue_window_by_partition WHERE window_start = $1 ORDER BY category',
    [new Date(start).toISOString()],
  );
  return rows;
}

describe('PostgresSink (real server)', () => {
  it('migrations are idempotent and safe when several instances start together', async () => {
    const results = await Promise.all([
      migrate(sink.database),
      migrate(sink.database),
      migrate(sink.database),
    ]);
    expect(results).toEqual([[], [], []]);
  });

  it('rewriting the same results changes nothing; money is exact to the cent', async () => {
    const start = freshWindow();
    const batch = [
      revenue(start, 'books', 1999, 3),
      revenue(start, 'toys', '90071992547409930', 5),
    ];
    await sink.write(batch);
    await sink.flush();
    const first = await revenueRows(start);
    await sink.write(batch);
    await sink.flush();
    expect(await revenueRows(start)).toEqual(first);
    expect(first).toEqual([
      { category: 'books', total_revenue: '19.99', version: '3', is_final: false },
      { category: 'toys', total_revenue: '900719925474099.30', version: '5', is_final: false },
    ]);
  });

  it('an older snapshot after a newer one is ignored; at the same version the final one wins', async () => {
    const start = freshWindow();
    await sink.write([revenue(start, 'books', 500, 7), revenue(start, 'books', 300, 4)]);
    await sink.flush();
    await sink.write([revenue(start, 'books', 100, 2)]); // a stale snapshot, on its own
    await sink.flush();
    expect(await revenueRows(start)).toEqual([
      { category: 'books', total_revenue: '5.00', version: '7', is_final: false },
    ]);
    await sink.write([revenue(start, 'books', 500, 7, true)]);
    await sink.flush();
    expect(await revenueRows(start)).toEqual([
      { category: 'books', total_revenue: '5.00', version: '7', is_final: true },
    ]);
  });

  it('a final row is never undone by a live one, even of a higher version (a replay that decided otherwise)', async () => {
    const start = freshWindow();
    await sink.write([revenue(start, 'books', 500, 5, true)]);
    await sink.flush();
    await sink.write([revenue(start, 'books', 900, 9)]);
    await sink.flush();
    expect(await revenueRows(start)).toEqual([
      { category: 'books', total_revenue: '5.00', version: '5', is_final: true },
    ]);
  });

  it('a result with a null key is rejected alone; the rest of the batch lands', async () => {
    const start = freshWindow();
    rejected.length = 0;
    await sink.write([
      revenue(start, 'books', 100, 1),
      { ...revenue(start, 'x', 1, 1), key: { category: null } },
    ]);
    await sink.flush();
    expect(rejected).toEqual([{ code: 'MISSING_KEY', metric: 'category_revenue' }]);
    expect((await revenueRows(start)).map((r) => r.category)).toEqual(['books']);
  });

  it('a retraction deletes a live row unless a newer version is stored', async () => {
    const start = freshWindow();
    const old = revenue(start, 'books', 100, 2);
    await sink.write([revenue(start, 'books', 100, 2), revenue(start, 'toys', 100, 9)]);
    await sink.write([retract(old), retract(revenue(start, 'toys', 100, 3))]);
    await sink.flush();
    expect((await revenueRows(start)).map((r) => r.category)).toEqual(['toys']);
  });

  it('the view sums the source partitions into one row per window and key', async () => {
    const start = freshWindow();
    await sink.write([
      views(start, 'p1', 3, 3, 0),
      views(start, 'p1', 4, 4, 1),
      views(start, 'p2', 1, 1, 2),
    ]);
    await sink.flush();
    const { rows } = await sink.database.query(
      'SELECT product_id, view_count FROM product_view_window WHERE window_start = $1 ORDER BY product_id',
      [new Date(start).toISOString()],
    );
    expect(rows).toEqual([
      { product_id: 'p1', view_count: '7' },
      { product_id: 'p2', view_count: '1' },
    ]);
  });

  it('a value out of range is rejected alone, naming the metric; the rest of the batch lands', async () => {
    const start = freshWindow();
    rejected.length = 0;
    await sink.write([
      revenue(start, 'books', 100, 1),
      revenue(start, 'huge', '1000000000000000000000', 1),
      revenue(start, 'toys', 200, 1),
    ]);
    await sink.flush();
    expect(rejected).toEqual([{ code: 'VALUE_REJECTED', metric: 'category_revenue' }]);
    expect((await revenueRows(start)).map((r) => r.category)).toEqual(['books', 'toys']);
  });

  // a missing table is created, a mismatched one refused: evolve-tables.integration.spec.ts
  it('a bad identifier is refused at start, an unknown metric at write, with a clear error', async () => {
    await expect(
      PostgresSink.open({ connection, tables: [{ ...REVENUE, table: 'revenue; DROP TABLE x' }] }),
    ).rejects.toMatchObject({ code: 'BAD_IDENTIFIER', details: { metric: 'category_revenue' } });
    expect(() => sink.write([{ ...revenue(1, 'x', 1, 1), metric: 'nope' }])).toThrow(SinkError);
  });
});
