import { cellRow } from './cell-rows';
import { Cell, CellCodec, takeDirty, UnsavedCells } from './cells';
import { CellsByStart } from './cells-by-start';
import { Duration, toMillis } from './duration';
import type { Metric } from './metric';
import { FixedGrid, mod, positiveMillis, windowStarts } from './window-math';
import { AddOutcome, StoreRow, StoreRowChanges, WindowSpec, WindowStore } from './window-store';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and these are used per event.
 */
const modulo = mod;

/** Every window is half-open, [start, end): an event at exactly `end` belongs to the next one. */
export interface TumblingWindow extends WindowSpec, FixedGrid {
  readonly kind: 'tumbling';
}

/**
 * Back-to-back windows of `size`, aligned to the epoch plus `offset`: each event in exactly one.
 */
export function tumbling(size: Duration, options: { offset?: Duration } = {}): TumblingWindow {
  const sizeMs = positiveMillis(size, 'window size');
  const grid = { sizeMs, advanceMs: sizeMs, offsetMs: toMillis(options.offset ?? 0) };
  return {
    kind: 'tumbling',
    ...grid,
    layout: `tumbling(size=${sizeMs},offset=${grid.offsetMs})`,
    lastPartialStartMs: (eventTimeMs) => eventTimeMs, // a window holding it starts by then
    createStore: (metric) => new FixedWindowStore(metric, grid),
  };
}

/**
 * Tumbling windows of one metric in one partition: window start → key → cell. It keeps hopping
 * windows cell by cell too (each event in every covering window): the engine keeps those as panes
 * (`PaneWindowStore`), and this is the reference the panes are tested against.
 */
export class FixedWindowStore<E> implements WindowStore<E> {
  private readonly windows = new CellsByStart();
  readonly dirty = new Set<Cell>();
  readonly unsaved = new UnsavedCells();

  constructor(
    private readonly metric: Metric<E>,
    private readonly spec: FixedGrid,
  ) {}

  /** Windows that end by this (watermark − allowed lateness) have been closed and freed. */
  closedDeadlineMs = -Infinity;

  /**
   * Adds the event to every window covering `timeMs` that ends after `deadlineMs` (the
   * partition's watermark − allowed lateness); returns the starts of the windows it is late for.
   */
  add(
    event: E,
    timeMs: number,
    keyId: string,
    values: readonly unknown[],
    deadlineMs: number,
  ): AddOutcome | undefined {
    const { sizeMs, advanceMs, offsetMs } = this.spec;
    if (advanceMs === sizeMs) {
      const start = timeMs - modulo(timeMs - offsetMs, sizeMs);
      if (this.addTo(start, event, keyId, values, deadlineMs)) return undefined;
      return { lateFor: [{ start, end: start + sizeMs }], absorbed: [] };
    }
    const lateFor: { start: number; end: number }[] = [];
    for (const start of windowStarts(this.spec, timeMs)) {
      if (!this.addTo(start, event, keyId, values, deadlineMs))
        lateFor.push({ start, end: start + sizeMs });
    }
    return lateFor.length === 0 ? undefined : { lateFor, absorbed: [] };
  }

  /** False when the window had already closed (the event is late for it). */
  private addTo(
    start: number,
    event: E,
    keyId: string,
    values: readonly unknown[],
    deadlineMs: number,
  ): boolean {
    const end = start + this.spec.sizeMs;
    if (end <= deadlineMs) return false;
    const cell = this.windows.cellFor(this.metric, event, keyId, start, end);
    this.metric.compiled.add(cell, values);
    this.unsaved.touch(cell);
    if (this.metric.emit === 'update' && !cell.dirty) {
      cell.dirty = true;
      this.dirty.add(cell);
    }
    return true;
  }

  /** Cells changed since the last call (live results), unflagged. */
  takeDirty(): Cell[] {
    return takeDirty(this.dirty);
  }

  /** Removes and returns every cell whose window ended by `deadlineMs` (= watermark − lateness). */
  close(deadlineMs: number): Cell[] {
    if (deadlineMs > this.closedDeadlineMs) this.closedDeadlineMs = deadlineMs;
    const closed: Cell[] = [];
    this.windows.dropWhile(
      (start) => start + this.spec.sizeMs <= deadlineMs,
      (cell) => {
        this.dirty.delete(cell);
        this.unsaved.drop(cell);
        closed.push(cell);
      },
    );
    return closed;
  }

  /** Open (window, key) cells. */
  get size(): number {
    return this.windows.size;
  }

  takeRowChanges(codec: CellCodec): StoreRowChanges {
    return {
      deleted: [],
      upserts: this.unsaved.take().map((cell) => cellRow(cell, cell.end, codec)),
    };
  }

  rows(codec: CellCodec): StoreRow[] {
    return [...this.windows.cells()].map((cell) => cellRow(cell, cell.end, codec));
  }

  loadRows(states: readonly unknown[], codec: CellCodec): void {
    for (const state of states) this.load(codec.load(state));
  }

  markAllUnsaved(): void {
    for (const cell of this.windows.cells()) this.unsaved.touch(cell);
  }

  private load(cell: Cell): void {
    this.windows.put(cell);
    if (cell.dirty) this.dirty.add(cell);
  }
}
