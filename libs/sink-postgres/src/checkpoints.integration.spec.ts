import { Pool } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';
import { type Checkpoint, readCheckpoints, writeCheckpoints } from './checkpoints';
import { migrate } from './migrations';

const pool = new Pool({ connectionString: loadServiceEndpoints().databaseUrl, max: 2 });
const group = `ids-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

beforeAll(() => migrate(pool));
afterAll(async () => {
  await pool.query('DELETE FROM dedupe_ids WHERE consumer_group = $1', [group]);
  await pool.query('DELETE FROM stream_checkpoints WHERE consumer_group = $1', [group]);
  await pool.end();
});

async function write(checkpoints: readonly Checkpoint[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await writeCheckpoints(client, checkpoints);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const at = (partition: number, nextOffset: string, added: Checkpoint['dedupeIds']): Checkpoint => ({ consumerGroup: group, topic: 't', partition, nextOffset, engineState: { n: nextOffset }, dedupeIds: added });

it('stores remembered ids incrementally: a restore at an offset reads the rows up to it, forgotten buckets are gone', async () => {
  await write([at(0, '100', { added: [{ bucketStartMs: 0, ids: ['a', 'b'] }], expiredBeforeMs: -Infinity }), at(1, '7', { added: [{ bucketStartMs: 0, ids: ['other'] }], expiredBeforeMs: -Infinity })]);
  await write([at(0, '200', { added: [{ bucketStartMs: 1_000, ids: ['c\u0000"quoted"'] }, { bucketStartMs: 2_000, ids: ['d'] }], expiredBeforeMs: 1_000 })]);
  const [saved] = await readCheckpoints(pool, group, 't', [0]);
  expect(saved).toMatchObject({ partition: 0, nextOffset: '200', engineState: { n: '200' } });
  expect(saved?.dedupeBuckets).toEqual(expect.arrayContaining([{ bucketStartMs: 1_000, ids: ['c\u0000"quoted"'] }, { bucketStartMs: 2_000, ids: ['d'] }]));
  expect(saved?.dedupeBuckets).toHaveLength(2); // bucket 0 was forgotten

  // A run that wrote ids past offset 200 and then lost its partition before its next checkpoint
  // took hold: its rows stay in the table but are not part of the state at 200.
  await pool.query('INSERT INTO dedupe_ids (consumer_group, topic, partition, bucket_start, to_offset, ids) VALUES ($1, $2, 0, 3000, 250, $3)', [group, 't', JSON.stringify(['from-the-future'])]);
  expect((await readCheckpoints(pool, group, 't', [0]))[0]?.dedupeBuckets.flatMap((b) => b.ids)).not.toContain('from-the-future');
  expect((await readCheckpoints(pool, group, 't')).map((c) => [c.partition, c.dedupeBuckets.flatMap((b) => b.ids)])).toEqual([[0, expect.arrayContaining(['d'])], [1, ['other']]]);
});
