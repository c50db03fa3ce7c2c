import type { Pool, PoolClient } from 'pg';
import type { Checkpoint, SavedCheckpoint } from '@rta/sink-core';
import { columnsOf, PartitionRef, readStateRows, writeStateChanges } from './engine-rows';
import { checkOwners } from './owners';

/** Seven parameters a row, well under PostgreSQL's 65,535 per statement. */
const ID_ROWS_PER_STATEMENT = 1_000;

/**
 * Writes checkpoints inside the caller's transaction, a few statements for all of them: the
 * owner check (locks), the checkpoint rows, the engine rows changed, the id rows.
 */
export async function writeCheckpoints(
  client: PoolClient,
  checkpoints: readonly Checkpoint[],
): Promise<void> {
  if (checkpoints.length === 0) return;
  const refOf = (c: Checkpoint): PartitionRef => [c.consumerGroup, c.topic, c.partition];
  await checkOwners(
    client,
    checkpoints.map((c) => [...refOf(c), c.ownerEpoch] as const),
  );
  await client.query(
    `INSERT INTO stream_checkpoints (consumer_group, topic, partition, next_offset, engine_state, updated_at)
     SELECT *, now() FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::json[])
     ON CONFLICT (consumer_group, topic, partition) DO UPDATE
     SET next_offset = EXCLUDED.next_offset, engine_state = EXCLUDED.engine_state, updated_at = now()`,
    columnsOf(
      checkpoints.map((c) => [...refOf(c), c.nextOffset, JSON.stringify(c.engineState)]),
      5,
    ),
  );
  await writeStateChanges(
    client,
    checkpoints.flatMap((c) => (c.stateChanges ? [[refOf(c), c.stateChanges] as const] : [])),
  );
  await writeIdChanges(client, checkpoints);
}

async function writeIdChanges(
  client: PoolClient,
  checkpoints: readonly Checkpoint[],
): Promise<void> {
  const expired = checkpoints.flatMap((c) =>
    c.dedupeIds && Number.isFinite(c.dedupeIds.expiredBeforeMs)
      ? [[c.consumerGroup, c.topic, c.partition, c.dedupeIds.expiredBeforeMs]]
      : [],
  );
  if (expired.length > 0) {
    await client.query(
      `DELETE FROM dedupe_ids x USING unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) AS d(g, t, p, before)
       WHERE x.consumer_group = d.g AND x.topic = d.t AND x.partition = d.p AND x.bucket_start < d.before`,
      columnsOf(expired, 4),
    );
  }
  const added = checkpoints.flatMap((c) =>
    (c.dedupeIds?.added ?? []).map((b) => [
      c.consumerGroup,
      c.topic,
      c.partition,
      b.bucketStartMs,
      c.nextOffset,
      JSON.stringify(b.ids),
      b.uuids ? asBuffer(b.uuids) : null,
    ]),
  );
  // One parameter per value, not arrays: a bucket's JSON goes out as is, unescaped, and its packed
  // UUIDs (megabytes) as binary.
  for (let i = 0; i < added.length; i += ID_ROWS_PER_STATEMENT) {
    const rows = added.slice(i, i + ID_ROWS_PER_STATEMENT);
    const values = rows.map(
      (_, r) => `(${[1, 2, 3, 4, 5, 6, 7].map((c) => `$${7 * r + c}`).join(', ')})`,
    );
    await client.query(
      `INSERT INTO dedupe_ids (consumer_group, topic, partition, bucket_start, to_offset, ids, uuids) VALUES ${values.join(', ')}`,
      rows.flat(),
    );
  }
}

/** node-postgres sends a Buffer as a binary parameter; a plain Uint8Array would go as text. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The checkpoints of `partitions` (all when omitted), each with its engine rows and the id rows
 * written up to its offset: id rows past it are from a run that did not reach its next
 * checkpoint, and are left out. An owner claims the partitions (`claimPartitions`) first.
 */
export async function readCheckpoints(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  partitions?: readonly number[],
): Promise<SavedCheckpoint[]> {
  const only = partitions ? [...partitions] : null;
  const rows = await checkpointRows(pool, consumerGroup, topic, only);
  const buckets = await idBuckets(pool, consumerGroup, topic, only);
  const stateRows = await readStateRows(pool, consumerGroup, topic, only);
  return rows.map((r) => ({
    consumerGroup,
    topic,
    partition: r.partition,
    nextOffset: r.next_offset,
    engineState: r.engine_state,
    stateRows: stateRows.get(r.partition) ?? [],
    dedupeBuckets: buckets.get(r.partition) ?? [],
  }));
}

async function checkpointRows(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  only: number[] | null,
) {
  const { rows } = await pool.query<{
    partition: number;
    next_offset: string;
    engine_state: unknown;
  }>(
    `SELECT partition, next_offset, engine_state FROM stream_checkpoints
     WHERE consumer_group = $1 AND topic = $2 AND ($3::int[] IS NULL OR partition = ANY($3))
     ORDER BY partition`,
    [consumerGroup, topic, only],
  );
  return rows;
}

/** Per partition, the id buckets written up to its checkpoint's offset. */
async function idBuckets(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  only: number[] | null,
): Promise<Map<number, SavedCheckpoint['dedupeBuckets'][number][]>> {
  type Row = { partition: number; bucket_start: string; ids: string[]; uuids: Buffer | null };
  const { rows } = await pool.query<Row>(
    `SELECT d.partition, d.bucket_start, d.ids, d.uuids FROM dedupe_ids d
     JOIN stream_checkpoints c
       ON c.consumer_group = d.consumer_group AND c.topic = d.topic AND c.partition = d.partition
     WHERE d.consumer_group = $1 AND d.topic = $2 AND ($3::int[] IS NULL OR d.partition = ANY($3))
       AND d.to_offset <= c.next_offset`,
    [consumerGroup, topic, only],
  );
  const byPartition = new Map<number, SavedCheckpoint['dedupeBuckets'][number][]>();
  for (const r of rows) {
    const bucket = {
      bucketStartMs: Number(r.bucket_start),
      ids: r.ids,
      ...(r.uuids ? { uuids: r.uuids } : {}),
    };
    byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), bucket]);
  }
  return byPartition;
}
