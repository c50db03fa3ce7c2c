import { Cell, takeDirty, UnsavedCells } from './cells';
import { CellsByStart } from './cells-by-start';
import type { Metric } from './metric';
import { FixedWindowSpec, mod, windowStarts } from './windows';

/**
 * Tumbling windows of one metric in one partition: window start → key → cell. It keeps hopping
 * windows cell by cell too (each event in every covering window): the engine keeps those as panes
 * (`PaneWindowStore`), and this is the reference the panes are tested against.
 */
export class FixedWindowStore<E> {
  private readonly windows = new CellsByStart();
  readonly dirty = new Set<Cell>();
  readonly unsaved = new UnsavedCells();

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
    this.windows.dropWhile((start) => start + this.spec.sizeMs <= deadlineMs, (cell) => {
      this.dirty.delete(cell);
      this.unsaved.drop(cell);
      closed.push(cell);
    });
    return closed;
  }

  cells(): Iterable<Cell> {
    return this.windows.cells();
  }

  /** Open (window, key) cells. */
  get size(): number {
    return this.windows.size;
  }

  load(cell: Cell): void {
    this.windows.put(cell);
    if (cell.dirty) this.dirty.add(cell);
  }
}

const NONE: readonly number[] = [];
