import type { Pool, PoolClient } from 'pg';
import type { PartitionChanges, StateRow } from '@rta/windowing';

/** Which partition's rows: (consumer group, topic, partition). */
export type PartitionRef = readonly [consumerGroup: string, topic: string, partition: number];

/** Rows per statement: large enough that a checkpoint takes a handful of round trips. */
const ROWS_PER_STATEMENT = 20_000;

/**
 * Applies one increment of engine state per partition, in the order `PartitionChanges`
 * prescribes, in a few statements whatever the number of partitions: each round trip waits for
 * a turn of the busy event loop, so statements, not rows, are what a checkpoint pays for.
 * Keys go as arrays: PostgreSQL cannot read fields out of JSON holding an escaped NUL (user data
 * may).
 */
export async function writeStateChanges(
  client: PoolClient,
  changes: readonly (readonly [PartitionRef, PartitionChanges])[],
): Promise<void> {
  const replaced = changes.filter(([, c]) => c.replaceAll).map(([ref]) => ref);
  if (replaced.length > 0) {
    await client.query(
      `DELETE FROM engine_cells e USING unnest($1::text[], $2::text[], $3::int[]) AS d(g, t, p)
       WHERE e.consumer_group = d.g AND e.topic = d.t AND e.partition = d.p`,
      columnsOf(replaced, 3),
    );
  }
  const deleted = changes.flatMap(([ref, c]) =>
    c.deleted.map((d) => [...ref, d.metric, d.id] as const),
  );
  for (const chunk of chunksOf(deleted)) {
    await client.query(
      `DELETE FROM engine_cells e USING unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) AS d(g, t, p, m, c)
       WHERE e.consumer_group = d.g AND e.topic = d.t AND e.partition = d.p AND e.metric = d.m AND e.cell = d.c`,
      columnsOf(chunk, 5),
    );
  }
  const upserts = changes.flatMap(([ref, c]) =>
    c.upserts.map((row) => [...ref, row.metric, row.id, row.endMs, row.state] as const),
  );
  for (const chunk of chunksOf(upserts)) {
    // The states as one JSON array (sent unescaped, and only split, never read into: NUL-safe),
    // zipped by position.
    const [groups, topics, partitions, metrics, ids, ends, states] = columnsOf(chunk, 7);
    await client.query(
      `INSERT INTO engine_cells (consumer_group, topic, partition, metric, cell, end_ms, state)
       SELECT k.g, k.t, k.p, k.m, k.c, k.e, s.state
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[]) WITH ORDINALITY AS k(g, t, p, m, c, e, i)
       JOIN json_array_elements($7::json) WITH ORDINALITY AS s(state, i) USING (i)
       ON CONFLICT (consumer_group, topic, partition, metric, cell) DO UPDATE SET end_ms = EXCLUDED.end_ms, state = EXCLUDED.state`,
      [groups, topics, partitions, metrics, ids, ends, JSON.stringify(states)],
    );
  }
  await deleteClosed(client, changes);
}

/**
 * Rows whose end is at or before their metric's closed deadline: windows (and remembered sessions)
 * that closed.
 */
async function deleteClosed(
  client: PoolClient,
  changes: readonly (readonly [PartitionRef, PartitionChanges])[],
): Promise<void> {
  const closed = changes.flatMap(([ref, c]) =>
    Object.entries(c.header.metrics).flatMap(([metric, clock]) =>
      clock.closedDeadlineMs === null ? [] : [[...ref, metric, clock.closedDeadlineMs] as const],
    ),
  );
  if (closed.length === 0) return;
  await client.query(
    `DELETE FROM engine_cells e USING unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[]) AS d(g, t, p, m, deadline)
     WHERE e.consumer_group = d.g AND e.topic = d.t AND e.partition = d.p AND e.metric = d.m AND e.end_ms <= d.deadline`,
    columnsOf(closed, 5),
  );
}

/** The saved engine rows of these partitions, by partition. */
export async function readStateRows(
  pool: Pool,
  consumerGroup: string,
  topic: string,
  partitions: readonly number[] | null,
): Promise<Map<number, StateRow[]>> {
  const { rows } = await pool.query<{
    partition: number;
    metric: string;
    cell: string;
    end_ms: string;
    state: StateRow['state'];
  }>(
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

/** Tuples as one array per column, for `unnest`: one statement for any number of rows. */
export function columnsOf(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => rows.map((row) => row[i]));
}

function* chunksOf<T>(items: readonly T[]): Iterable<readonly T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT)
    yield items.slice(i, i + ROWS_PER_STATEMENT);
}
