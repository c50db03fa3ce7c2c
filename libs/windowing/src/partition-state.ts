import type { SavedCell } from './cells';
import type { MetricLayout } from './layouts';
import type { ClosedSession } from './session-windows';

/** A metric's clocks in one partition. */
export interface MetricClock {
  readonly maxEventTimeMs: number | null;
  /** Windows ending by this were closed (final) already. */
  readonly closedDeadlineMs: number | null;
}

/** A metric's part of a partition header: its clocks, and how its rows are laid out. */
export interface MetricHeader extends MetricClock {
  /** Absent in checkpoints written before layouts were saved (rows in the configured order). */
  readonly layout?: MetricLayout;
  /**
   * Set when the metric started (new, or reset) on a partition whose events up to some event time
   * were already past: windows starting at or before this could be partial, so they are not
   * reported (`WindowSpec.lastPartialStartMs` of that time).
   */
  readonly reportsAfterMs?: number;
}

/**
 * Plain JSON: a partition's clocks; its cells are stored apart, as rows
 * (`WindowingEngine.takeChanges`).
 */
export interface PartitionHeader {
  /** 4: with metric layouts (rows of layout version 2); 2: written before layouts were saved. */
  readonly format: 2 | 4;
  readonly partition: number;
  readonly metrics: Readonly<Record<string, MetricHeader>>;
}

/** Plain JSON: a whole partition's state in one document (`WindowingEngine.snapshot`). */
export interface PartitionSnapshot {
  readonly format: 3;
  readonly header: PartitionHeader;
  readonly rows: readonly StateRow[];
}

/** The whole-snapshot document of checkpoints before rows (restorable, never written). */
export interface LegacySnapshot {
  readonly format: 1;
  readonly partition: number;
  readonly metrics: Readonly<
    Record<string, MetricClock & { cells: unknown[]; closedSessions?: ClosedSession[] }>
  >;
}

/** One row of saved state of one metric (an open cell, a remembered closed session, ...). */
export interface StateRow {
  readonly metric: string;
  /** Unique within (partition, metric) and stable for the row's life. */
  readonly id: string;
  /** The row is gone once the metric's closed deadline reaches this. */
  readonly endMs: number;
  readonly state: SavedCell | ClosedSession | unknown;
}

/**
 * What changed in a partition since the previous `takeChanges`: a checkpoint's increment. Applied
 * to the saved rows in this order it yields the partition's state: drop every row when
 * `replaceAll`, delete `deleted`, upsert `upserts` by (metric, id), then delete every row whose
 * `endMs` is at or before its metric's `closedDeadlineMs` in `header` (windows and remembered
 * sessions that closed).
 */
export interface PartitionChanges {
  readonly header: PartitionHeader;
  readonly replaceAll: boolean;
  readonly deleted: readonly { readonly metric: string; readonly id: string }[];
  readonly upserts: readonly StateRow[];
}

/** A saved partition as the engine restores it, whatever document it came from. */
export interface SavedPartitionState {
  readonly header: PartitionHeader;
  readonly rows: readonly StateRow[];
  /** From one document, not the row store: every row must be written again. */
  readonly whole: boolean;
}

export function savedStateOf(
  saved: PartitionHeader | PartitionSnapshot | LegacySnapshot,
  rows: readonly StateRow[],
): SavedPartitionState {
  if (saved.format === 2 || saved.format === 4) return { header: saved, rows, whole: false };
  if (saved.format === 3) return { header: saved.header, rows: saved.rows, whole: true };
  if (saved.format === 1) return fromLegacy(saved);
  const format = String((saved as { format: unknown }).format);
  throw new RangeError(
    `snapshot format ${format} is not 1, 2, 3 or 4: written by a newer version?`,
  );
}

function fromLegacy(saved: LegacySnapshot): SavedPartitionState {
  const metrics: Record<string, MetricHeader> = {};
  const rows: StateRow[] = [];
  for (const [metric, state] of Object.entries(saved.metrics)) {
    metrics[metric] = {
      maxEventTimeMs: state.maxEventTimeMs,
      closedDeadlineMs: state.closedDeadlineMs,
    };
    const states = [...state.cells, ...(state.closedSessions ?? [])];
    states.forEach((s, i) => rows.push({ metric, id: String(i), endMs: Infinity, state: s }));
  }
  return { header: { format: 2, partition: saved.partition, metrics }, rows, whole: true };
}

export function groupByMetric(rows: readonly StateRow[]): Map<string, unknown[]> {
  const byMetric = new Map<string, unknown[]>();
  for (const row of rows) {
    const list = byMetric.get(row.metric);
    if (list) list.push(row.state);
    else byMetric.set(row.metric, [row.state]);
  }
  return byMetric;
}
