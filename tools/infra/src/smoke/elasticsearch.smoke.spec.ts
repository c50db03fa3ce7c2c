import { Client } from '@elastic/elasticsearch';
import { loadServiceEndpoints } from '@rta/service-config';
import { requireService, uniqueName } from './service-required';

const { elasticsearchUrl } = loadServiceEndpoints();

describe('Elasticsearch (real node): @elastic/elasticsearch indexes and searches', () => {
  const client = new Client({ node: elasticsearchUrl });
  const index = uniqueName('smoke');

  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it('indexes documents with explicit mappings and finds them by term and range', async () => {
    // Not client.info(): `GET /` lives in the rest-root module, which the integ-test-zip lacks.
    const info = await requireService('Elasticsearch', elasticsearchUrl, () =>
      client.nodes.info({ node_id: '_local' }),
    );
    const node = Object.values(info.nodes)[0];
    console.info(`Elasticsearch ${node?.version} (${info.cluster_name}) at ${elasticsearchUrl}`);
    expect(Number(node?.version.split('.')[0])).toBeGreaterThanOrEqual(9);

    await client.indices.create({
      index,
      mappings: {
        dynamic: 'strict',
        properties: {
          region: { type: 'keyword' },
          event_count: { type: 'long' },
          window_start: { type: 'date' },
        },
      },
    });
    const docs = [
      { region: 'EU', event_count: 3, window_start: '2024-01-15T10:30:00Z' },
      { region: 'NA', event_count: 5, window_start: '2024-01-15T10:31:00Z' },
    ];
    await client.bulk({
      refresh: 'wait_for',
      operations: docs.flatMap((doc) => [
        { index: { _index: index, _id: `${doc.region}_${doc.window_start}` } },
        doc,
      ]),
    });

    const result = await client.search<{ event_count: number }>({
      index,
      query: {
        bool: {
          filter: [
            { term: { region: 'NA' } },
            { range: { window_start: { gte: '2024-01-15T10:31:00Z' } } },
          ],
        },
      },
    });
    expect(result.hits.hits.map((h) => h._source?.event_count)).toEqual([5]);
  });
});
