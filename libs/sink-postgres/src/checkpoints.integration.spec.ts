import { Pool } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';
import {
  count,
  Deduplicator,
  session,
  tumbling,
  WindowingEngine,
  metric,
  distinctValues,
} from '@rta/windowing';
import type { Checkpoint } from '@rta/sink-core';
import { readCheckpoints, writeCheckpoints } from './checkpoints';
import { migrate } from './migrations';
import { claimPartitions } from './owners';

const pool = new Pool({ connectionString: loadServiceEndpoints().databaseUrl, max: 2 });
const group = `ids-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

let epochs = new Map<number, number>();
beforeAll(async () => {
  await migrate(pool);
  epochs = await claimPartitions(pool, group, 't', [0, 1]);
});
afterAll(async () => {
  for (const table of ['dedupe_ids', 'engine_cells', 'partition_owners', 'stream_checkpoints'])
    await pool.query(`DELETE FROM ${table} WHERE consumer_group LIKE $1`, [`${group}%`]);
  await pool.end();
});

/** Writes in one transaction; `beforeCommit` runs while it is still open (its locks held). */
async function write(
  checkpoints: readonly Checkpoint[],
  beforeCommit: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await writeCheckpoints(client, checkpoints);
    await beforeCommit();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const at = (partition: number, nextOffset: string, added: Checkpoint['dedupeIds']): Checkpoint => ({
  consumerGroup: group,
  topic: 't',
  partition,
  nextOffset,
  engineState: { n: nextOffset },
  dedupeIds: added,
  ownerEpoch: epochs.get(partition) as number,
});

it('stores remembered ids incrementally: a restore at an offset reads the rows up to it, forgotten buckets are gone', async () => {
  await write([
    at(0, '100', { added: [{ bucketStartMs: 0, ids: ['a', 'b'] }], expiredBeforeMs: -Infinity }),
    at(1, '7', { added: [{ bucketStartMs: 0, ids: ['other'] }], expiredBeforeMs: -Infinity }),
  ]);
  await write([
    at(0, '200', {
      added: [
        { bucketStartMs: 1_000, ids: ['c\u0000"quoted"'] },
        { bucketStartMs: 2_000, ids: ['d'] },
      ],
      expiredBeforeMs: 1_000,
    }),
  ]);
  const [saved] = await readCheckpoints(pool, group, 't', [0]);
  expect(saved).toMatchObject({ partition: 0, nextOffset: '200', engineState: { n: '200' } });
  expect(saved?.dedupeBuckets).toEqual(
    expect.arrayContaining([
      { bucketStartMs: 1_000, ids: ['c\u0000"quoted"'] },
      { bucketStartMs: 2_000, ids: ['d'] },
    ]),
  );
  expect(saved?.dedupeBuckets).toHaveLength(2); // bucket 0 was forgotten

  // A run that wrote ids past offset 200 and then lost its partition before its next checkpoint
  // took hold: its rows stay in the table but are not part of the state at 200.
  await pool.query(
    'INSERT INTO dedupe_ids (consumer_group, topic, partition, bucket_start, to_offset, ids) VALUES ($1, $2, 0, 3000, 250, $3)',
    [group, 't', JSON.stringify(['from-the-future'])],
  );
  expect(
    (await readCheckpoints(pool, group, 't', [0]))[0]?.dedupeBuckets.flatMap((b) => b.ids),
  ).not.toContain('from-the-future');
  expect(
    (await readCheckpoints(pool, group, 't')).map((c) => [
      c.partition,
      c.dedupeBuckets.flatMap((b) => b.ids),
    ]),
  ).toEqual([
    [0, expect.arrayContaining(['d'])],
    [1, ['other']],
  ]);
});

it('stores UUID ids packed (16 bytes each, readable as hex in SQL) beside other ids, and a restore recognises both', async () => {
  const topic = 'uuids';
  const epoch = (await claimPartitions(pool, group, topic, [0])).get(0) as number;
  const ids = [
    '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    'not-a-uuid',
    'ffffffff-0000-4000-8000-000000000001',
  ];
  const before = new Deduplicator(60_000);
  ids.forEach((id, i) => before.admit(0, id, 1_000 + i));
  await write([
    {
      consumerGroup: group,
      topic,
      partition: 0,
      nextOffset: '3',
      engineState: {},
      dedupeIds: before.takeChanges(0),
      ownerEpoch: epoch,
    },
  ]);
  const stored = await pool.query(
    "SELECT ids::text, encode(uuids, 'hex') AS hex FROM dedupe_ids WHERE consumer_group = $1 AND topic = $2",
    [group, topic],
  );
  expect(stored.rows).toEqual([
    { ids: '["not-a-uuid"]', hex: `${ids[0]}${ids[2]}`.replaceAll('-', '') },
  ]);
  const [saved] = await readCheckpoints(pool, group, topic, [0]);
  const after = new Deduplicator(60_000);
  after.restore(before.snapshot(0), saved?.dedupeBuckets);
  expect(ids.map((id) => after.admit(0, id, 2_000))).toEqual([false, false, false]);
});

interface Play {
  user: string;
  t: number;
  item: string;
}

const plays = () => [
  metric<Play>({
    name: 'plays',
    eventTime: (e) => e.t,
    window: tumbling('1m'),
    groupBy: ['user'],
    aggregate: { n: count(), items: distinctValues((e) => e.item) },
  }),
  metric<Play>({
    name: 'visits',
    eventTime: (e) => e.t,
    window: session('30s'),
    watermarkDelay: '5s',
    groupBy: ['user'],
    aggregate: { n: count() },
  }),
];

it('engine state saved as changed rows restores the whole state, through PostgreSQL', async () => {
  const engine = new WindowingEngine(plays());
  const topic = 'cells';
  const epoch = (await claimPartitions(pool, group, topic, [4])).get(4) as number;
  const checkpoint = async (nextOffset: string) => {
    engine.emitUpdates();
    const stateChanges = engine.takeChanges(4);
    await write([
      {
        consumerGroup: group,
        topic,
        partition: 4,
        nextOffset,
        engineState: stateChanges.header,
        stateChanges,
        ownerEpoch: epoch,
      },
    ]);
  };
  engine.process(
    4,
    [
      { user: 'a\u0000"b', t: 1_000, item: 'x\u0000' },
      { user: 'c', t: 2_000, item: 'y' },
      { user: 'c', t: 36_000, item: 'y' },
    ],
    0,
  );
  await checkpoint('3');
  // Bridges c's two sessions (one row deleted), then closes the first minutes and sessions (range
  // delete) and e's session, which stays remembered as closed (a row of its own).
  engine.process(
    4,
    [
      { user: 'c', t: 20_000, item: 'z' },
      { user: 'e', t: 95_000, item: 'v' },
      { user: 'd', t: 130_000, item: 'w' },
    ],
    0,
  );
  await checkpoint('6');

  const [saved] = await readCheckpoints(pool, group, topic, [4]);
  const restored = new WindowingEngine(plays());
  restored.restore(saved?.engineState as never, 0, saved?.stateRows);
  const canonical = (s: ReturnType<WindowingEngine<Play>['snapshot']>) => ({
    header: s.header,
    rows: s.rows.map((r) => JSON.stringify(r)).sort(),
  });
  expect(canonical(restored.snapshot(4))).toEqual(canonical(engine.snapshot(4)));
  expect(saved?.stateRows.map((r) => [r.metric, r.id]).sort()).toEqual([
    ['plays', '120000"d"'],
    ['visits', '130000"d"'],
    ['visits', 'closed"e"'],
  ]);
});

it("fences checkpoints: once another owner claimed the partition, the old owner's checkpoint is refused and nothing of it lands", async () => {
  const fenced = `${group}-fenced`;
  const first = (await claimPartitions(pool, fenced, 't', [0])).get(0) as number;
  const second = (await claimPartitions(pool, fenced, 't', [0])).get(0) as number;
  expect(second).toBe(first + 1);
  const cp = (nextOffset: string, ownerEpoch: number): Checkpoint => ({
    consumerGroup: fenced,
    topic: 't',
    partition: 0,
    nextOffset,
    engineState: {},
    ownerEpoch,
  });
  await expect(write([cp('10', first)])).rejects.toMatchObject({
    code: 'CHECKPOINT_FENCED',
    retriable: false,
  });
  expect(await readCheckpoints(pool, fenced, 't')).toEqual([]);
  await write([cp('20', second)]);
  expect((await readCheckpoints(pool, fenced, 't'))[0]?.nextOffset).toBe('20');
});

it("a claim waits for the previous owner's checkpoint in flight, then reads it", async () => {
  const racing = `${group}-race`;
  const old = (await claimPartitions(pool, racing, 't', [0])).get(0) as number;
  let claim: Promise<Map<number, number>> | undefined;
  let claimed = false;
  await write(
    [
      {
        consumerGroup: racing,
        topic: 't',
        partition: 0,
        nextOffset: '30',
        engineState: {},
        ownerEpoch: old,
      },
    ],
    async () => {
      claim = claimPartitions(pool, racing, 't', [0]).finally(() => (claimed = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(claimed).toBe(false); // held back by the checkpoint's lock on the owner row
    },
  );
  expect((await claim)?.get(0)).toBe(old + 1);
  expect((await readCheckpoints(pool, racing, 't'))[0]?.nextOffset).toBe('30');
});

it('a claim of a partition with no checkpoint deletes rows an earlier owner left behind', async () => {
  const orphaned = `${group}-orphan`;
  await pool.query(
    "INSERT INTO engine_cells (consumer_group, topic, partition, metric, cell, end_ms, state) VALUES ($1, 't', 0, 'm', 'x', 1, '[]')",
    [orphaned],
  );
  await pool.query(
    "INSERT INTO dedupe_ids (consumer_group, topic, partition, bucket_start, to_offset, ids) VALUES ($1, 't', 0, 0, 1, '[\"x\"]')",
    [orphaned],
  );
  await claimPartitions(pool, orphaned, 't', [0]);
  const left = await pool.query(
    'SELECT (SELECT count(*) FROM engine_cells WHERE consumer_group = $1)::int + (SELECT count(*) FROM dedupe_ids WHERE consumer_group = $1)::int AS n',
    [orphaned],
  );
  expect(left.rows[0].n).toBe(0);
});
