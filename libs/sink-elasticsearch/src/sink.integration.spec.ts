import { Client } from '@elastic/elasticsearch';
import { loadServiceEndpoints } from '@rta/service-config';
import { SinkError } from '@rta/sink-core';
import { documentId, indexFor } from './index-spec';
import { ElasticsearchSink } from './sink';
import { freshWindow, result, spec } from './test-support';

/** Against the real Elasticsearch (`nx run infra:up`). */
const node = loadServiceEndpoints().elasticsearchUrl;
const prefix = `test-sink-${Date.now().toString(36)}`;
const indexSpec = spec(prefix);
const rejected: { code: string; metric?: string }[] = [];
let sink: ElasticsearchSink;
const client = new Client({ node });

beforeAll(async () => {
  sink = await ElasticsearchSink.open({
    client: { node },
    indices: [indexSpec],
    hooks: {
      onRejected: (_i, e) => void rejected.push({ code: e.code, metric: e.details.metric }),
    },
  });
});
afterAll(async () => {
  // Wildcard deletes are refused (action.destructive_requires_name): delete by name.
  const indices = Object.keys(await client.indices.get({ index: `${prefix}-*` }));
  if (indices.length > 0) await client.indices.delete({ index: indices });
  await client.indices.deleteIndexTemplate({ name: prefix }).catch(() => undefined);
  await Promise.all([sink.close(), client.close()]);
});

async function stored(start: number, region: string) {
  const r = result(start, region, 0, 0);
  const doc = await client
    .get<Record<string, unknown>>({ index: indexFor(indexSpec, start), id: documentId(r) })
    .catch(() => undefined);
  return doc?._source;
}

describe('ElasticsearchSink (real node)', () => {
  it('puts a strict template: dates, keywords, numbers, exact minor units beside the decimal', async () => {
    const template = await client.indices.getIndexTemplate({ name: prefix });
    const mappings = template.index_templates[0]?.index_template.template?.mappings as {
      dynamic: string;
      properties: Record<string, { type: string }>;
    };
    expect(mappings.dynamic).toBe('strict');
    expect(
      Object.fromEntries(Object.entries(mappings.properties).map(([k, v]) => [k, v.type])),
    ).toMatchObject({
      '@timestamp': 'date',
      window_start: 'date',
      window_end: 'date',
      region: 'keyword',
      event_type: 'keyword',
      event_count: 'long',
      revenue: 'double',
      revenue_minor: 'long',
      version: 'long',
      is_final: 'boolean',
    });
  });

  it('a rewrite overwrites the same document (deterministic id); money stays exact', async () => {
    const start = freshWindow();
    await sink.write([result(start, 'EU', 3, 3, false, 1999)]);
    await sink.flush();
    await sink.write([result(start, 'EU', 3, 3, false, 1999)]);
    await sink.flush();
    await client.indices.refresh({ index: `${prefix}-*` });
    const count = await client.count({
      index: `${prefix}-*`,
      query: { term: { window_start: new Date(start).toISOString() } },
    });
    expect(count.count).toBe(1);
    expect(await stored(start, 'EU')).toMatchObject({
      event_count: 3,
      revenue: 19.99,
      revenue_minor: 1999,
      version: 3,
      is_final: false,
    });
    expect(documentId(result(start, 'EU', 0, 0))).toBe(
      `EU_player%5Fjoin_${new Date(start).toISOString()}_p0`,
    );
  });

  it('an older snapshot after a newer one is refused by version; the final one wins at equal version', async () => {
    const start = freshWindow();
    await sink.write([result(start, 'NA', 7, 7)]);
    await sink.flush();
    await sink.write([result(start, 'NA', 2, 2)]);
    await sink.flush();
    expect(await stored(start, 'NA')).toMatchObject({
      event_count: 7,
      version: 7,
      is_final: false,
    });
    await sink.write([result(start, 'NA', 7, 7, true)]);
    await sink.flush();
    expect(await stored(start, 'NA')).toMatchObject({ event_count: 7, is_final: true });
    await sink.write([result(start, 'NA', 9, 9)]); // a live result of a replay that decided otherwise
    await sink.flush();
    expect(await stored(start, 'NA')).toMatchObject({ event_count: 7, is_final: true });
  });

  it('a retraction deletes a live document unless a newer version is stored', async () => {
    const start = freshWindow();
    await sink.write([result(start, 'EU', 2, 2), result(start, 'NA', 9, 9)]);
    await sink.flush();
    const retract = (r: ReturnType<typeof result>) => ({
      kind: 'retract' as const,
      id: r.id,
      version: r.version,
      metric: r.metric,
      partition: r.partition,
      windowStartMs: r.windowStartMs,
      key: r.key,
    });
    await sink.write([retract(result(start, 'EU', 2, 2)), retract(result(start, 'NA', 3, 3))]);
    await sink.flush();
    expect(await stored(start, 'EU')).toBeUndefined();
    expect(await stored(start, 'NA')).toMatchObject({ version: 9 });
  });

  it('a mapping conflict rejects that document alone, naming the metric; the rest lands', async () => {
    const start = freshWindow();
    rejected.length = 0;
    const bad = { ...result(start, 'SA', 1, 1), values: { event_count: 'many', revenue: 1 } };
    await sink.write([result(start, 'EU', 1, 1), bad, result(start, 'NA', 1, 1)]);
    await sink.flush();
    expect(rejected).toEqual([{ code: 'MAPPING_CONFLICT', metric: 'events_per_region' }]);
    expect(await stored(start, 'EU')).toBeDefined();
    expect(await stored(start, 'NA')).toBeDefined();
  });

  it('refuses a bad index name or an unknown metric with a clear error', async () => {
    await expect(
      ElasticsearchSink.open({ client: { node }, indices: [{ ...indexSpec, index: 'Bad Index' }] }),
    ).rejects.toMatchObject({ code: 'BAD_IDENTIFIER' });
    expect(() => sink.write([{ ...result(1, 'EU', 1, 1), metric: 'nope' }])).toThrow(SinkError);
  });
});
