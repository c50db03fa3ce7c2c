import type { Pool, PoolClient } from 'pg';

/** Where a consumer resumes one partition, and the engine state that goes with it. */
export interface Checkpoint {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next message to read (Kafka's committed-offset convention). */
  readonly nextOffset: string;
  readonly engineState: unknown;
}

export async function writeCheckpoints(client: PoolClient, checkpoints: readonly Checkpoint[]): Promise<void> {
  for (const c of checkpoints) {
    await client.query(
      `INSERT INTO stream_checkpoints (consumer_group, topic, partition, next_offset, engine_state, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE
       SET next_offset = EXCLUDED.next_offset, engine_state = EXCLUDED.engine_state, updated_at = now()`,
      [c.consumerGroup, c.topic, c.partition, c.nextOffset, JSON.stringify(c.engineState)],
    );
  }
}

export async function readCheckpoints(pool: Pool, consumerGroup: string, topic: string): Promise<Checkpoint[]> {
  const { rows } = await pool.query<{ partition: number; next_offset: string; engine_state: unknown }>(
    'SELECT partition, next_offset, engine_state FROM stream_checkpoints WHERE consumer_group = $1 AND topic = $2 ORDER BY partition',
    [consumerGroup, topic],
  );
  return rows.map((r) => ({ consumerGroup, topic, partition: r.partition, nextOffset: r.next_offset, engineState: r.engine_state }));
}
