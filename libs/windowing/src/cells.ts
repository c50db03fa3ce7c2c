import type { GroupKey, Metric } from './metric';

/** The running state of one (window, key) in one partition. */
export interface Cell {
  readonly keyId: string;
  readonly key: GroupKey;
  start: number;
  end: number;
  accs: unknown[];
  /** Events included so far: the result's version. */
  version: number;
  /** Changed since the last update emission. */
  dirty: boolean;
  /** Changed since the last incremental save (`WindowingEngine.takeChanges`). */
  unsaved: boolean;
}

export function newCell<E>(
  metric: Metric<E>,
  event: E,
  keyId: string,
  start: number,
  end: number,
): Cell {
  return {
    keyId,
    key: metric.keyOf(event),
    start,
    end,
    version: 0,
    dirty: false,
    unsaved: false,
    accs: metric.aggregates.map(([, agg]) => agg.init()),
  };
}

/** Empties a store's dirty set: the cells changed since the last live emission, unflagged. */
export function takeDirty(dirty: Set<Cell>): Cell[] {
  const cells = [...dirty];
  for (const cell of cells) cell.dirty = false;
  dirty.clear();
  return cells;
}

/** Merges `from` into `into` (session windows): bounds widen, accumulators merge, versions add. */
export function mergeCells<E>(metric: Metric<E>, into: Cell, from: Cell): void {
  metric.aggregates.forEach(([, agg], i) => (into.accs[i] = agg.merge(into.accs[i], from.accs[i])));
  into.start = Math.min(into.start, from.start);
  into.end = Math.max(into.end, from.end);
  into.version += from.version;
}

export function cellValues<E>(metric: Metric<E>, cell: Cell): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  metric.aggregates.forEach(([name, agg], i) => (values[name] = agg.result(cell.accs[i])));
  return values;
}

/** A cell as plain JSON data (a row of saved state); `accs` in the order of the saved layout. */
export type SavedCell = [
  start: number,
  end: number,
  keyId: string,
  key: GroupKey,
  version: number,
  dirty: boolean,
  accs: unknown[],
];

/** Turns cells into saved rows and back, under one metric layout (see layouts.ts). */
export interface CellCodec {
  save(cell: Cell): SavedCell;
  load(saved: unknown): Cell;
}

/**
 * Cells changed since the last save, in the order they first changed. A flag on the cell keeps
 * the hot path to one branch; a cell that leaves the store is unflagged, and `take` skips it.
 */
export class UnsavedCells {
  private cells: Cell[] = [];

  touch(cell: Cell): void {
    if (!cell.unsaved) {
      cell.unsaved = true;
      this.cells.push(cell);
    }
  }

  /** The cell left the store (closed or merged away): nothing of it is saved. */
  drop(cell: Cell): void {
    cell.unsaved = false;
  }

  take(): Cell[] {
    const live = this.cells.filter((cell) => cell.unsaved);
    for (const cell of live) cell.unsaved = false;
    this.cells = [];
    return live;
  }
}
