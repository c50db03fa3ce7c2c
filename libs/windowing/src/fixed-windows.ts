import { addValues, Cell, newCell, takeDirty, UnsavedCells } from './cells';
import type { Metric } from './metric';
import { FixedWindowSpec, insertSorted, mod, windowStarts } from './windows';

/**
 * Tumbling windows of one metric in one partition: window start → key → cell. It keeps hopping
 * windows cell by cell too (each event in every covering window): the engine keeps those as panes
 * (`PaneWindowStore`), and this is the reference the panes are tested against.
 */
export class FixedWindowStore<E> {
  private readonly windows = new Map<number, Map<string, Cell>>();
  /** Window starts in ascending order, so closing walks from the front. */
  private starts: number[] = [];
  readonly dirty = new Set<Cell>();
  readonly unsaved = new UnsavedCells();
  /** Most events land in the newest window: remember it. */
  private lastStart = Number.NaN;
  private lastByKey: Map<string, Cell> | undefined;

  constructor(
    private readonly metric: Metric<E>,
    private readonly spec: FixedWindowSpec,
  ) {}

  /** Windows that end by this (watermark − allowed lateness) have been closed and freed. */
  closedDeadlineMs = -Infinity;

  /**
   * Adds the event to every window covering `timeMs` that ends after `deadlineMs` (the
   * partition's watermark − allowed lateness); returns the starts of the windows it is late for.
   */
  add(event: E, timeMs: number, keyId: string, values: readonly unknown[], deadlineMs: number): readonly number[] {
    if (this.spec.kind === 'tumbling') {
      const start = timeMs - mod(timeMs - this.spec.offsetMs, this.spec.sizeMs);
      return this.addTo(start, event, keyId, values, deadlineMs) ? NONE : [start];
    }
    const closed: number[] = [];
    for (const start of windowStarts(this.spec, timeMs)) if (!this.addTo(start, event, keyId, values, deadlineMs)) closed.push(start);
    return closed;
  }

  /** False when the window had already closed (the event is late for it). */
  private addTo(start: number, event: E, keyId: string, values: readonly unknown[], deadlineMs: number): boolean {
    const end = start + this.spec.sizeMs;
    if (end <= deadlineMs) return false;
    const cell = this.cellFor(event, keyId, start, end);
    addValues(this.metric, cell, values);
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
    let i = 0;
    while (i < this.starts.length && (this.starts[i] as number) + this.spec.sizeMs <= deadlineMs) {
      const start = this.starts[i] as number;
      for (const cell of (this.windows.get(start) as Map<string, Cell>).values()) {
        this.dirty.delete(cell);
        this.unsaved.drop(cell);
        closed.push(cell);
      }
      this.windows.delete(start);
      if (start === this.lastStart) this.lastByKey = undefined;
      i += 1;
    }
    if (i > 0) this.starts = this.starts.slice(i);
    return closed;
  }

  *cells(): Iterable<Cell> {
    for (const byKey of this.windows.values()) yield* byKey.values();
  }

  /** Open (window, key) cells, counted per window rather than per cell (read at every flush). */
  get size(): number {
    let n = 0;
    for (const byKey of this.windows.values()) n += byKey.size;
    return n;
  }

  load(cell: Cell): void {
    this.byStart(cell.start).set(cell.keyId, cell);
    if (cell.dirty) this.dirty.add(cell);
  }

  private cellFor(event: E, keyId: string, start: number, end: number): Cell {
    const byKey = this.byStart(start);
    let cell = byKey.get(keyId);
    if (!cell) {
      cell = newCell(this.metric, event, keyId, start, end);
      byKey.set(keyId, cell);
    }
    return cell;
  }

  private byStart(start: number): Map<string, Cell> {
    if (start === this.lastStart && this.lastByKey) return this.lastByKey;
    let byKey = this.windows.get(start);
    if (!byKey) {
      byKey = new Map();
      this.windows.set(start, byKey);
      insertSorted(this.starts, start);
    }
    this.lastStart = start;
    this.lastByKey = byKey;
    return byKey;
  }
}

const NONE: readonly number[] = [];
