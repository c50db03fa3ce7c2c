import { Cell, newCell } from './cells';
import type { Metric } from './metric';
import { insertSorted } from './window-math';

/**
 * Cells by start (of a window or a pane) and key, starts kept ascending so that closing walks from
 * the front.
 */
export class CellsByStart {
  private readonly byStart = new Map<number, Map<string, Cell>>();
  /** Starts in ascending order. */
  private ordered: number[] = [];
  /** Most events land in the newest start: remember it. */
  private lastStart = Number.NaN;
  private lastByKey: Map<string, Cell> | undefined;

  get starts(): readonly number[] {
    return this.ordered;
  }

  /** The cell of (start, key), created for `event` when missing. */
  cellFor<E>(metric: Metric<E>, event: E, keyId: string, start: number, end: number): Cell {
    const byKey = this.keysOf(start);
    let cell = byKey.get(keyId);
    if (!cell) {
      cell = newCell(metric, event, keyId, start, end);
      byKey.set(keyId, cell);
    }
    return cell;
  }

  put(cell: Cell): void {
    this.keysOf(cell.start).set(cell.keyId, cell);
  }

  at(start: number): Iterable<Cell> {
    return this.byStart.get(start)?.values() ?? [];
  }

  /**
   * Removes the leading starts for which `done` holds, handing each of their cells to `removed`.
   */
  dropWhile(done: (start: number) => boolean, removed: (cell: Cell) => void): void {
    let i = 0;
    while (i < this.ordered.length && done(this.ordered[i] as number)) {
      const start = this.ordered[i] as number;
      for (const cell of (this.byStart.get(start) as Map<string, Cell>).values()) removed(cell);
      this.byStart.delete(start);
      if (start === this.lastStart) this.lastByKey = undefined;
      i += 1;
    }
    if (i > 0) this.ordered = this.ordered.slice(i);
  }

  *cells(): Iterable<Cell> {
    for (const byKey of this.byStart.values()) yield* byKey.values();
  }

  /** Cells held, counted per start rather than per cell (read at every flush). */
  get size(): number {
    let n = 0;
    for (const byKey of this.byStart.values()) n += byKey.size;
    return n;
  }

  private keysOf(start: number): Map<string, Cell> {
    if (start === this.lastStart && this.lastByKey) return this.lastByKey;
    let byKey = this.byStart.get(start);
    if (!byKey) {
      byKey = new Map();
      this.byStart.set(start, byKey);
      insertSorted(this.ordered, start);
    }
    this.lastStart = start;
    this.lastByKey = byKey;
    return byKey;
  }
}
