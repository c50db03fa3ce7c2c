import type { Pool, PoolClient } from 'pg';
import type { PartitionChanges, StateRow } from '@rta/windowing';

/** Which partition's rows: (consumer group, topic, partition). */
export type PartitionRef = readonly [consumerGroup: string, topic: string, partition: number];

/** Rows per statement: one JSON parameter of a few MB at most. */
const ROWS_PER_STATEMENT = 5_000;

/** Applies one increment of engine state, in the order `PartitionChanges` prescribes. */
export async function writeStateChanges(client: PoolClient, where: PartitionRef, changes: PartitionChanges): Promise<void> {
  if (changes.replaceAll) await client.query('DELETE FROM engine_cells WHERE consumer_group = $1 AND topic = $2 AND partition = $3', [...where]);
  // Arrays, not one JSON document: PostgreSQL cannot read fields out of JSON that holds an escaped NUL.
  for (const chunk of chunksOf(changes.deleted)) {
    await client.query(
      `DELETE FROM engine_cells WHERE consumer_group = $1 AND topic = $2 AND partition = $3
       AND (metric, cell) IN (SELECT * FROM unnest($4::text[], $5::text[]))`,
      [...where, chunk.map((d) => d.metric), chunk.map((d) => d.id)],
    );
  }
  for (const chunk of chunksOf(changes.upserts)) {
    await client.query(
      `INSERT INTO engine_cells (consumer_group, topic, partition, metric, cell, end_ms, state)
       SELECT $1, $2, $3, r.* FROM unnest($4::text[], $5::text[], $6::bigint[], $7::json[]) AS r
       ON CONFLICT (consumer_group, topic, partition, metric, cell) DO UPDATE SET end_ms = EXCLUDED.end_ms, state = EXCLUDED.state`,
      [...where, chunk.map((row) => row.metric), chunk.map((row) => row.id), chunk.map((row) => row.endMs), chunk.map((row) => JSON.stringify(row.state))],
    );
  }
  const closed = Object.entries(changes.header.metrics).filter(([, clock]) => clock.closedDeadlineMs !== null);
  if (closed.length === 0) return;
  await client.query(
    `DELETE FROM engine_cells e USING unnest($4::text[], $5::bigint[]) AS d(metric, deadline)
     WHERE e.consumer_group = $1 AND e.topic = $2 AND e.partition = $3 AND e.metric = d.metric AND e.end_ms <= d.deadline`,
    [...where, closed.map(([metric]) => metric), closed.map(([, clock]) => clock.closedDeadlineMs)],
  );
}

/** The saved engine rows of these partitions, by partition. */
export async function readStateRows(pool: Pool, consumerGroup: string, topic: string, partitions: readonly number[] | null): Promise<Map<number, StateRow[]>> {
  const { rows } = await pool.query<{ partition: number; metric: string; cell: string; end_ms: string; state: StateRow['state'] }>(
    'SELECT partition, metric, cell, end_ms, state FROM engine_cells WHERE consumer_group = $1 AND topic = $2 AND ($3::int[] IS NULL OR partition = ANY($3))',
    [consumerGroup, topic, partitions],
  );
  const byPartition = new Map<number, StateRow[]>();
  for (const r of rows) {
    const row: StateRow = { metric: r.metric, id: r.cell, endMs: Number(r.end_ms), state: r.state };
    const list = byPartition.get(r.partition);
    if (list) list.push(row);
    else byPartition.set(r.partition, [row]);
  }
  return byPartition;
}

function* chunksOf<T>(items: readonly T[]): Iterable<readonly T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) yield items.slice(i, i + ROWS_PER_STATEMENT);
}
