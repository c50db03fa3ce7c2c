import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostgresSink } from './sink';
import { freshWindow, REVENUE, revenue } from './test-support';

/**
 * A private PostgreSQL (started through the project's launcher CLI, on a free port, in its own
 * state folder) is stopped and started again in the middle of a stream: nothing may be lost.
 */
const root = resolve(__dirname, '..', '..', '..');
const home = mkdtempSync(join(tmpdir(), 'sink-pg-restart-'));
chmodSync(home, 0o755);
let url = '';

function launcher(command: 'up' | 'down'): void {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const run = spawnSync(
    tsx,
    ['--tsconfig', 'tools/infra/tsconfig.json', 'tools/infra/src/cli.ts', command, 'postgres'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, RTA_INFRA_HOME: home, DATABASE_URL: url },
    },
  );
  if (run.status !== 0) throw new Error(`infra ${command} failed: ${run.stdout}${run.stderr}`);
}

beforeAll(async () => {
  const port = await new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => done(p));
    });
  });
  url = `postgres://restart:restart@127.0.0.1:${port}/restart`;
  launcher('up');
});

afterAll(() => {
  launcher('down');
  rmSync(home, { recursive: true, force: true });
});

it('loses nothing when the server restarts mid-stream', async () => {
  const retries: string[] = [];
  const sink = await PostgresSink.open({
    connection: { connectionString: url, connectionTimeoutMillis: 1_000 },
    tables: [REVENUE],
    batch: { maxItems: 50, maxDelayMs: 20 },
    retry: { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 120_000 },
    hooks: { onRetry: (error) => retries.push(error.code) },
  });
  const start = freshWindow();
  const categories = Array.from({ length: 400 }, (_, i) => `c${i}`);
  const stream = categories.map((c, i) => revenue(start, c, i, 1));
  await sink.write(stream.slice(0, 200));
  await sink.flush();

  launcher('down');
  const pending = sink.write(stream.slice(200)).then(() => sink.flush()); // retries while the server is gone
  await new Promise((r) => setTimeout(r, 1_500));
  launcher('up');
  await pending;

  const { rows } = await sink.database.query(
    'SELECT count(*)::int AS n, sum(total_revenue)::text AS total FROM category_revenue_window_by_partition WHERE window_start = $1',
    [new Date(start).toISOString()],
  );
  expect(rows[0]).toEqual({
    n: 400,
    total: (categories.reduce((sum, _c, i) => sum + i, 0) / 100).toFixed(2),
  });
  expect(retries.length).toBeGreaterThan(0);
  expect(new Set(retries)).toEqual(new Set(['DATABASE_UNAVAILABLE']));
  await sink.close();
});
