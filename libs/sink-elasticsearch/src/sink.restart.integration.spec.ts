import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { ElasticsearchSink } from './sink';
import { freshWindow, result, spec } from './test-support';

/**
 * A private Elasticsearch node (the project's launcher, its own state folder and port, the
 * shared unpacked distribution) stops and starts again mid-stream: nothing may be lost.
 */
const root = resolve(__dirname, '..', '..', '..');
const home = mkdtempSync(join(tmpdir(), 'sink-es-restart-'));
chmodSync(home, 0o755);
let node = '';

function launcher(command: 'up' | 'down'): void {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const run = spawnSync(
    tsx,
    ['--tsconfig', 'tools/infra/tsconfig.json', 'tools/infra/src/cli.ts', command, 'elasticsearch'],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        RTA_INFRA_HOME: home,
        RTA_INFRA_DIST: join(root, '.infra', 'dist'),
        ELASTICSEARCH_URL: node,
      },
    },
  );
  if (run.status !== 0) throw new Error(`infra ${command} failed: ${run.stdout}${run.stderr}`);
}

/** A free port whose +100 neighbour (the transport port) is free too. */
async function freePort(): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((done) => {
      const server = createServer()
        .once('error', () => done(undefined))
        .listen(port, '127.0.0.1', () => {
          const p = (server.address() as { port: number }).port;
          server.close(() => done(p));
        });
    });
  for (;;) {
    const port = (await listen(0)) as number;
    if (port < 65_000 && (await listen(port + 100)) !== undefined) return port;
  }
}

beforeAll(async () => {
  node = `http://127.0.0.1:${await freePort()}`;
  launcher('up');
});

afterAll(() => {
  launcher('down');
  rmSync(home, { recursive: true, force: true });
});

it('loses nothing when the node restarts mid-stream', async () => {
  const indexSpec = spec('restart-test');
  const retries: string[] = [];
  const sink = await ElasticsearchSink.open({
    client: { node, requestTimeout: 2_000 },
    indices: [indexSpec],
    batch: { maxItems: 50, maxDelayMs: 20 },
    retry: { initialDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 180_000 },
    hooks: { onRetry: (error) => retries.push(error.code) },
  });
  const start = freshWindow();
  const stream = Array.from({ length: 400 }, (_, i) => result(start, `r${i}`, i, 1));
  await sink.write(stream.slice(0, 200));
  await sink.flush();

  launcher('down');
  const pending = sink.write(stream.slice(200)).then(() => sink.flush());
  await new Promise((r) => setTimeout(r, 1_500));
  launcher('up');
  await pending;

  const client = new Client({ node });
  await client.indices.refresh({ index: 'restart-test-*' });
  const total = await client.search({
    index: 'restart-test-*',
    size: 0,
    aggs: { n: { sum: { field: 'event_count' } } },
  });
  expect((total.hits.total as { value: number }).value).toBe(400);
  expect((total.aggregations?.['n'] as { value: number }).value).toBe((399 * 400) / 2);
  expect(new Set(retries)).toEqual(new Set(['ELASTICSEARCH_UNAVAILABLE']));
  await Promise.all([sink.close(), client.close()]);
});
