import { cpus } from 'node:os';
import { Client } from '@elastic/elasticsearch';
import { loadServiceEndpoints } from '@rta/service-config';
import { ElasticsearchSink } from '@rta/sink-elasticsearch';
import { PostgresSink } from '@rta/sink-postgres';
import type { WindowResult } from '@rta/windowing';
import { Measurement, report } from './report';

/**
 * Sink write rates on the local services: rows/s into PostgreSQL (versioned upserts) and docs/s
 * into Elasticsearch (bulk, external versions), at batch sizes 100, 1,000 and 10,000.
 *   npx nx run bench:sinks        (ROWS=20000 RUNS=3 by default)
 */
const ROWS = Number(process.env['ROWS'] ?? 20_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCHES = [100, 1_000, 10_000];
const endpoints = loadServiceEndpoints();
let windowBase = Date.UTC(2031, 0, 1);

/** ROWS distinct (window, key) results, as the engine emits them. */
function results(): WindowResult[] {
  windowBase += 3_600_000;
  const start = windowBase;
  return Array.from({ length: ROWS }, (_, i) => ({
    kind: 'result',
    id: `product_views|0|${start}|p${i}`,
    version: 1,
    metric: 'product_views',
    partition: i % 6,
    windowStartMs: start,
    windowEndMs: start + 60_000,
    key: { product_id: `p${i}` },
    values: { views: i },
    final: false,
  }));
}

async function rate(
  write: (items: WindowResult[]) => Promise<void>,
  flush: () => Promise<void>,
  batch: number,
): Promise<number> {
  const items = results();
  const started = performance.now();
  for (let i = 0; i < items.length; i += batch) await write(items.slice(i, i + batch));
  await flush();
  return (items.length / (performance.now() - started)) * 1000;
}

async function postgres(batch: number): Promise<number[]> {
  const sink = await PostgresSink.open({
    connection: { connectionString: endpoints.databaseUrl },
    tables: [
      {
        metric: 'product_views',
        table: 'product_view_window',
        keys: [{ column: 'product_id', field: 'product_id', type: 'text' }],
        values: [{ column: 'view_count', field: 'views', type: 'bigint' }],
      },
    ],
    batch: { maxItems: batch, maxPendingItems: batch * 2 },
  });
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r += 1)
    runs.push(
      await rate(
        (items) => sink.write(items),
        () => sink.flush(),
        batch,
      ),
    );
  await sink.database.query(
    "DELETE FROM product_view_window_by_partition WHERE window_start >= '2031-01-01'",
  );
  await sink.close();
  return runs;
}

async function elasticsearch(batch: number): Promise<number[]> {
  const index = 'bench-sink';
  const sink = await ElasticsearchSink.open({
    client: { node: endpoints.elasticsearchUrl },
    indices: [
      {
        metric: 'product_views',
        index,
        keys: [{ field: 'product_id', type: 'keyword' }],
        values: [{ field: 'views', type: 'long' }],
      },
    ],
    batch: { maxItems: batch, maxPendingItems: batch * 2, maxBytes: 64 * 2 ** 20 },
  });
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r += 1)
    runs.push(
      await rate(
        (items) => sink.write(items),
        () => sink.flush(),
        batch,
      ),
    );
  await sink.close();
  const client = new Client({ node: endpoints.elasticsearchUrl });
  await client.indices.delete({ index, ignore_unavailable: true });
  await client.close();
  return runs;
}

async function main(): Promise<void> {
  const measurements: Measurement[] = [];
  for (const batch of BATCHES) {
    measurements.push({
      name: `PostgreSQL upsert, batch ${batch}`,
      unit: 'rows/s',
      runs: await postgres(batch),
    });
    measurements.push({
      name: `Elasticsearch bulk, batch ${batch}`,
      unit: 'docs/s',
      runs: await elasticsearch(batch),
    });
    process.stderr.write(`batch ${batch} done\n`);
  }
  report(
    'sinks',
    { rows: ROWS, runs: RUNS, cores: cpus().length, node: process.version },
    measurements,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
