import { Cell, loadCell, saveCell, SavedCell } from './cells';
import { FixedWindowStore } from './fixed-windows';
import { PaneWindowStore } from './pane-windows';
import type { Metric } from './metric';
import { ClosedSession, SessionWindowStore } from './session-windows';

export type Store<E> = FixedWindowStore<E> | PaneWindowStore<E> | SessionWindowStore<E>;

/** Plain JSON: a whole partition's state in one document (`WindowingEngine.snapshot`). */
export interface PartitionSnapshot {
  readonly format: 1;
  readonly partition: number;
  readonly metrics: Readonly<Record<string, SavedMetricState>>;
}

export interface MetricClock {
  readonly maxEventTimeMs: number | null;
  /** Windows ending by this were closed (final) already. */
  readonly closedDeadlineMs: number | null;
}

export interface SavedMetricState extends MetricClock {
  readonly cells: SavedCell[];
  /** Session windows: closed sessions still reachable by a late event. */
  readonly closedSessions?: ClosedSession[];
}

/** Plain JSON: a partition's clocks; its cells are stored apart, as rows (`WindowingEngine.takeChanges`). */
export interface PartitionHeader {
  readonly format: 2;
  readonly partition: number;
  readonly metrics: Readonly<Record<string, MetricClock>>;
}

/** One open cell, or one closed session still remembered, of one metric: a row of saved state. */
export interface StateRow {
  readonly metric: string;
  /** Unique within (partition, metric) and stable for the row's life. */
  readonly id: string;
  /** The row is gone once the metric's closed deadline reaches this. */
  readonly endMs: number;
  readonly state: SavedCell | ClosedSession;
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

/** Ids are JSON so that any key (even one holding NUL, which PostgreSQL text refuses) is safe. */
export function cellRowId(start: number, keyId: string): string {
  return `${start}${JSON.stringify(keyId)}`;
}

function closedRowId(keyId: string): string {
  return `closed${JSON.stringify(keyId)}`;
}

export function clockOf(store: Store<unknown> | undefined, maxEventTimeMs: number | undefined): MetricClock {
  const closedDeadline = store?.closedDeadlineMs ?? -Infinity;
  return { maxEventTimeMs: maxEventTimeMs ?? null, closedDeadlineMs: Number.isFinite(closedDeadline) ? closedDeadline : null };
}

/** The metric's rows changed since the previous call. */
export function storeChanges<E>(metric: Metric<E>, store: Store<E>): Pick<PartitionChanges, 'deleted' | 'upserts'> {
  const endOf = (cell: Cell) => (store instanceof PaneWindowStore ? store.retiresAtMs(cell) : cell.end);
  const upserts: StateRow[] = store.unsaved.take().map((cell) => ({ metric: metric.name, id: cellRowId(cell.start, cell.keyId), endMs: endOf(cell), state: saveCell(metric, cell) }));
  if (!(store instanceof SessionWindowStore)) return { deleted: [], upserts };
  const { absorbed, closed } = store.takeSessionChanges();
  for (const session of closed) upserts.push({ metric: metric.name, id: closedRowId(session.keyId), endMs: store.closedExpiryMs(session), state: session });
  return { deleted: absorbed.map((cell) => ({ metric: metric.name, id: cellRowId(cell.start, cell.keyId) })), upserts };
}

/** Loads saved rows: they count as saved, so the next changes do not repeat them. */
export function loadRows<E>(metric: Metric<E>, store: Store<E>, rows: readonly StateRow[]): void {
  for (const row of rows) {
    if (Array.isArray(row.state)) store.load(loadCell(metric, row.state));
    else if (store instanceof SessionWindowStore) store.loadClosed(row.state);
  }
  if (store instanceof SessionWindowStore) store.takeSessionChanges();
}

/** A whole store as snapshot JSON. */
export function saveStore<E>(metric: Metric<E>, store: Store<E> | undefined, clock: MetricClock): SavedMetricState {
  return {
    ...clock,
    cells: store ? [...store.cells()].map((cell) => saveCell(metric, cell)) : [],
    ...(store instanceof SessionWindowStore ? { closedSessions: store.closedSessions() } : {}),
  };
}

/** Loads a whole store from snapshot JSON; its cells count as unsaved (they are in no row yet). */
export function loadStore<E>(metric: Metric<E>, store: Store<E>, saved: SavedMetricState): void {
  for (const cell of saved.cells) {
    const loaded = loadCell(metric, cell);
    store.load(loaded);
    store.unsaved.touch(loaded);
  }
  if (store instanceof SessionWindowStore) for (const closed of saved.closedSessions ?? []) store.loadClosed(closed);
}
