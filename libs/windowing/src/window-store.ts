import type { Cell, CellCodec } from './cells';
import type { Metric } from './metric';

/**
 * A kind of window (tumbling, hopping, session, or your own): how a metric's events are
 * assigned to windows, kept and closed in one partition. A new kind is one file that exports a
 * factory returning this and a store implementing `WindowStore`; the engine knows no kind.
 */
export interface WindowSpec {
  readonly kind: string;
  /**
   * The shape as saved state sees it, e.g. `tumbling(size=60000,offset=0)`: a restore refuses
   * state saved under another layout (cells cannot be re-windowed).
   */
  readonly layout: string;
  createStore<E>(metric: Metric<E>): WindowStore<E>;
  /**
   * The latest window start that may hold an event at or before `eventTimeMs` beside later ones:
   * a metric that starts with events up to that time already past reports only windows starting
   * after this (the earlier ones could miss the events it never saw).
   */
  lastPartialStartMs(eventTimeMs: number): number;
}

export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

/**
 * What adding one event did besides counting it; `add` returns undefined when nothing else
 * happened (the hot path: a literal compare, and no object per event).
 */
export interface AddOutcome {
  /** Windows the event belongs to that had already closed: it is late for them. */
  readonly lateFor: readonly WindowBounds[];
  /** Live windows merged into another under a different start: their results are retracted. */
  readonly absorbed: readonly Cell[];
}

/**
 * One row of a store's saved state: unique and stable `id`, gone once the deadline reaches `endMs`.
 */
export interface StoreRow {
  readonly id: string;
  readonly endMs: number;
  readonly state: unknown;
}

export interface StoreRowChanges {
  readonly deleted: readonly string[];
  readonly upserts: readonly StoreRow[];
}

/**
 * One metric's windows in one partition. Time comes from the caller: `deadlineMs` is watermark −
 * allowed lateness.
 */
export interface WindowStore<E> {
  /** Windows that end by this have been closed (final); raised by `close` and by a restore. */
  closedDeadlineMs: number;
  /** Open (window, key) cells, or panes. */
  readonly size: number;
  add(
    event: E,
    timeMs: number,
    keyId: string,
    values: readonly unknown[],
    deadlineMs: number,
  ): AddOutcome | undefined;
  /** Removes and returns the windows (merged cells) that ended by `deadlineMs`. */
  close(deadlineMs: number): Cell[];
  /** Windows changed since the last call (live results), unflagged. */
  takeDirty(): Cell[];
  /** Rows changed since the last call: a checkpoint's increment. */
  takeRowChanges(codec: CellCodec): StoreRowChanges;
  /** Every row (whole snapshots, and a rewrite after the saved layout changed). */
  rows(codec: CellCodec): StoreRow[];
  /** Loads rows of `rows`/`takeRowChanges`; they count as saved. */
  loadRows(states: readonly unknown[], codec: CellCodec): void;
  /** Flags everything as changed: the next `takeRowChanges` returns every row. */
  markAllUnsaved(): void;
}
