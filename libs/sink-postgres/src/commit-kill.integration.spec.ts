import { Pool } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';
import { readCheckpoints } from './checkpoints';
import { claimPartitions } from './owners';
import { migrate } from './migrations';
import { PostgresSink } from './sink';
import { freshWindow, REVENUE, revenue } from './test-support';

/**
 * The server kills the sink's connection after the results are written and while the checkpoint
 * is being written (a trigger holds the checkpoint step open): at that moment neither is visible,
 * and the sink's retry then commits both.
 */
const connection = { connectionString: loadServiceEndpoints().databaseUrl };
const admin = new Pool({ ...connection, max: 1 });

beforeAll(async () => {
  await migrate(admin); // this spec may run first on a fresh database
  await admin.query(`CREATE OR REPLACE FUNCTION test_slow_checkpoint() RETURNS trigger AS $$
    BEGIN IF NEW.consumer_group LIKE 'slow-%' THEN PERFORM pg_sleep(1.5); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await admin.query('DROP TRIGGER IF EXISTS test_slow_checkpoint ON stream_checkpoints');
  await admin.query('CREATE TRIGGER test_slow_checkpoint BEFORE INSERT OR UPDATE ON stream_checkpoints FOR EACH ROW EXECUTE FUNCTION test_slow_checkpoint()');
});

afterAll(async () => {
  await admin.query('DROP TRIGGER IF EXISTS test_slow_checkpoint ON stream_checkpoints');
  await admin.end();
});

it('a connection killed between results and checkpoint leaves neither; the retry commits both', async () => {
  const sink = await PostgresSink.open({ connection, tables: [REVENUE], retry: { initialDelayMs: 50, maxDelayMs: 200 } });
  const start = freshWindow();
  const group = `slow-${start}`;
  const rows = async () => (await admin.query('SELECT count(*)::int AS n FROM category_revenue_window_by_partition WHERE window_start = $1', [new Date(start).toISOString()])).rows[0].n;
  const checkpoint = { consumerGroup: group, topic: 'ecommerce-events', partition: 3, nextOffset: '1000', engineState: { format: 1 } };
  const ownerEpoch = (await claimPartitions(admin, group, 'ecommerce-events', [3])).get(3) as number;

  const committing = sink.commit([revenue(start, 'books', 100, 1), revenue(start, 'toys', 200, 1)], [{ ...checkpoint, ownerEpoch }]);
  let killed = 0;
  while (killed === 0) {
    const { rows: sleeping } = await admin.query("SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%stream_checkpoints%'");
    for (const { pid } of sleeping) killed += (await admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok ? 1 : 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await rows()).toBe(0);
  expect(await readCheckpoints(admin, group, 'ecommerce-events')).toEqual([]);

  await committing;
  expect(await rows()).toBe(2);
  expect(await readCheckpoints(admin, group, 'ecommerce-events')).toEqual([{ ...checkpoint, stateRows: [], dedupeBuckets: [] }]);
  await sink.close();
});
