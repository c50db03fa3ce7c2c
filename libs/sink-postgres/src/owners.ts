import type { Pool, PoolClient } from 'pg';
import { SinkError, withRetry } from '@rta/sink-core';
import { inTransaction } from './client';
import { columnsOf, PartitionRef } from './engine-rows';

/**
 * Makes this process the partitions' owner: raises each one's epoch (the returned value is what
 * its checkpoints must carry) and, for a partition with no checkpoint, deletes rows an earlier
 * owner left (its checkpoint row was deleted to start over). Call it before reading checkpoints:
 * a previous owner's checkpoint either committed before the claim, and is read, or is refused.
 */
export async function claimPartitions(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, number>> {
  return withRetry(() =>
    inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ partition: number; epoch: string }>(
        `INSERT INTO partition_owners (consumer_group, topic, partition, epoch) SELECT $1, $2, p, 1 FROM unnest($3::int[]) AS p ORDER BY p
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET epoch = partition_owners.epoch + 1 RETURNING partition, epoch`,
        [consumerGroup, topic, [...partitions]],
      );
      for (const table of ['engine_cells', 'dedupe_ids']) {
        await client.query(
          `DELETE FROM ${table} t WHERE t.consumer_group = $1 AND t.topic = $2 AND t.partition = ANY($3)
         AND NOT EXISTS (SELECT 1 FROM stream_checkpoints c WHERE c.consumer_group = $1 AND c.topic = $2 AND c.partition = t.partition)`,
          [consumerGroup, topic, [...partitions]],
        );
      }
      return new Map(rows.map((r) => [r.partition, Number(r.epoch)]));
    }),
  );
}

/**
 * Inside a checkpoint transaction: locks the partitions' owner rows (in key order, as claims do,
 * so two writers cannot deadlock); refuses if another owner has claimed one since.
 */
export async function checkOwners(
  client: PoolClient,
  owners: readonly (readonly [...PartitionRef, number])[],
): Promise<void> {
  const { rows } = await client.query<{
    consumer_group: string;
    topic: string;
    partition: number;
    epoch: string;
  }>(
    `SELECT o.consumer_group, o.topic, o.partition, o.epoch FROM partition_owners o
     JOIN unnest($1::text[], $2::text[], $3::int[]) AS d(g, t, p) ON o.consumer_group = d.g AND o.topic = d.t AND o.partition = d.p
     ORDER BY o.consumer_group, o.topic, o.partition FOR UPDATE OF o`,
    columnsOf(owners, 3),
  );
  const current = new Map(
    rows.map((r) => [`${r.consumer_group}\u0000${r.topic}\u0000${r.partition}`, Number(r.epoch)]),
  );
  for (const [group, topic, partition, epoch] of owners) {
    const now = current.get(`${group}\u0000${topic}\u0000${partition}`);
    if (now === epoch) continue;
    throw new SinkError(
      'CHECKPOINT_FENCED',
      `${topic}:${partition} of consumer group ${group} belongs to another owner now (epoch ${String(now)}, ours ${epoch}): ` +
        'this process lost the partition without noticing (a pause past the session timeout?) and must not write its state; restart it to rejoin',
      false,
    );
  }
}

/** The partition's current owner epoch (undefined before any claim). */
export async function currentEpoch(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  partition: number,
): Promise<number | undefined> {
  const { rows } = await pool.query<{ epoch: string }>(
    'SELECT epoch FROM partition_owners WHERE consumer_group = $1 AND topic = $2 AND partition = $3',
    [consumerGroup, topic, partition],
  );
  return rows[0] ? Number(rows[0].epoch) : undefined;
}
