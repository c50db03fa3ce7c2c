import { Pool } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';
import type { Checkpoint } from '@rta/sink-core';
import { PostgresCheckpointStore } from './checkpoint-store';

/** A checkpoint is all or nothing, also when its connection dies mid-write. */
const connection = { connectionString: loadServiceEndpoints().databaseUrl };
const admin = new Pool({ ...connection, max: 1 });
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
let store: PostgresCheckpointStore;

beforeAll(async () => {
  store = await PostgresCheckpointStore.open({
    connection,
    retry: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  await admin.query(`CREATE OR REPLACE FUNCTION test_slow_checkpoint() RETURNS trigger AS $$
    BEGIN IF NEW.consumer_group LIKE 'slow-%' THEN PERFORM pg_sleep(1.5); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await admin.query('DROP TRIGGER IF EXISTS test_slow_checkpoint ON stream_checkpoints');
  await admin.query(
    'CREATE TRIGGER test_slow_checkpoint BEFORE INSERT OR UPDATE ON stream_checkpoints FOR EACH ROW EXECUTE FUNCTION test_slow_checkpoint()',
  );
});

afterAll(async () => {
  await admin.query('DROP TRIGGER IF EXISTS test_slow_checkpoint ON stream_checkpoints');
  await admin.end();
  await store.close();
});

/** A checkpoint of partition 0 that also upserts one engine row and adds one id bucket. */
async function checkpointOf(group: string, bucketStartMs = 0): Promise<Checkpoint> {
  const ownerEpoch = (await store.claim(group, 'events', [0])).get(0) as number;
  const header = {
    format: 2 as const,
    partition: 0,
    metrics: { m: { maxEventTimeMs: 1, closedDeadlineMs: null } },
  };
  return {
    consumerGroup: group,
    topic: 'events',
    partition: 0,
    nextOffset: '1000',
    engineState: { engine: header },
    ownerEpoch,
    stateChanges: {
      header,
      replaceAll: false,
      deleted: [],
      upserts: [{ metric: 'm', id: 'cell', endMs: 60_000, state: [0] }],
    },
    dedupeIds: { added: [{ bucketStartMs, ids: ['e1'] }], expiredBeforeMs: -Infinity },
  };
}

it('writes nothing of a checkpoint whose last step fails', async () => {
  const group = `broken-${run}`;
  await expect(store.write([await checkpointOf(group, Number.NaN)])).rejects.toMatchObject({
    retriable: false,
  });
  expect(await store.read(group, 'events')).toEqual([]);
  const { rows } = await admin.query(
    'SELECT count(*)::int AS n FROM engine_cells WHERE consumer_group = $1',
    [group],
  );
  expect(rows[0].n).toBe(0);
});

it('a connection killed mid-checkpoint leaves none of it; the retry writes all of it', async () => {
  const group = `slow-${run}`;
  const writing = store.write([await checkpointOf(group)]);
  let killed = 0;
  while (killed === 0) {
    const { rows: sleeping } = await admin.query(
      "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%stream_checkpoints%'",
    );
    for (const { pid } of sleeping)
      killed += (await admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok
        ? 1
        : 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await store.read(group, 'events')).toEqual([]);
  await writing;
  const [saved] = await store.read(group, 'events');
  expect(saved).toMatchObject({
    nextOffset: '1000',
    stateRows: [{ metric: 'm', id: 'cell' }],
    dedupeBuckets: [{ bucketStartMs: 0, ids: ['e1'] }],
  });
});
