import { cellRow } from './cell-rows';
import { Cell, CellCodec, UnsavedCells } from './cells';
import { CellsByStart } from './cells-by-start';
import { Duration, toMillis } from './duration';
import { SnapshotError } from './errors';
import type { Metric } from './metric';
import { FixedGrid, mod, positiveMillis } from './window-math';
import { AddOutcome, StoreRow, StoreRowChanges, WindowSpec, WindowStore } from './window-store';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and these are used per event.
 */
const modulo = mod;

export interface HoppingWindow extends WindowSpec, FixedGrid {
  readonly kind: 'hopping';
}

/**
 * Windows of `size` starting every `advance` (epoch + `offset` aligned): each event in every window
 * that covers it.
 */
export function hopping(
  size: Duration,
  advance: Duration,
  options: { offset?: Duration } = {},
): HoppingWindow {
  const sizeMs = positiveMillis(size, 'window size');
  const advanceMs = positiveMillis(advance, 'window advance');
  if (advanceMs > sizeMs) {
    throw new RangeError(
      `advance ${advanceMs}ms is larger than size ${sizeMs}ms: events would fall between windows`,
    );
  }
  const grid = { sizeMs, advanceMs, offsetMs: toMillis(options.offset ?? 0) };
  return {
    kind: 'hopping',
    ...grid,
    layout: `hopping(size=${sizeMs},advance=${advanceMs},offset=${grid.offsetMs})`,
    lastPartialStartMs: (eventTimeMs) => eventTimeMs, // a window holding it starts by then
    createStore: (metric) => new PaneWindowStore(metric, grid),
  };
}

/**
 * Hopping windows of one metric in one partition, kept as panes: slices of gcd(size, advance),
 * so every window is a run of whole panes. An event updates its one pane, not the size/advance
 * windows covering it; a window's result is its panes merged (accumulators are mergeable, and a
 * merge never changes its second argument). Invariants:
 * - a window takes events until its end is at or before the deadline; at that moment it is
 *   merged ("frozen"), so what it holds never depends on when `close` runs (batch boundaries);
 * - a pane lives until the last window covering it closes (`retiresAt`), which is also its
 *   saved row's end.
 */
export class PaneWindowStore<E> implements WindowStore<E> {
  private readonly panes = new CellsByStart();
  private readonly dirtyPanes = new Set<Cell>();
  readonly unsaved = new UnsavedCells();
  /** Windows merged at their deadline, handed out by the next `close`. */
  private frozen: Cell[] = [];
  private frozenDeadlineMs = -Infinity;
  readonly paneMs: number;
  /** Windows that end by this have been closed (set from outside on restore, too). */
  closedDeadlineMs = -Infinity;

  constructor(
    private readonly metric: Metric<E>,
    private readonly spec: FixedGrid,
  ) {
    this.paneMs = gcd(spec.sizeMs, spec.advanceMs);
  }

  /**
   * Adds the event to its pane unless every window covering it has closed; returns the starts of
   * the windows it is late for.
   */
  add(
    event: E,
    timeMs: number,
    keyId: string,
    values: readonly unknown[],
    deadlineMs: number,
  ): AddOutcome | undefined {
    if (deadlineMs > this.frozenFloorMs()) this.freeze(deadlineMs);
    const { sizeMs, advanceMs } = this.spec;
    const pane = timeMs - modulo(timeMs - this.spec.offsetMs, this.paneMs);
    const { first, last } = this.coveringWindows(pane);
    let lateFor: { start: number; end: number }[] | undefined;
    for (let start = first; start <= last && start + sizeMs <= deadlineMs; start += advanceMs) {
      (lateFor ??= []).push({ start, end: start + sizeMs });
    }
    const outcome = lateFor ? { lateFor, absorbed: [] } : undefined;
    if (last + sizeMs <= deadlineMs) return outcome;
    const cell = this.panes.cellFor(this.metric, event, keyId, pane, pane + this.paneMs);
    this.metric.compiled.add(cell, values);
    this.unsaved.touch(cell);
    if (this.metric.emit === 'update' && !cell.dirty) {
      cell.dirty = true;
      this.dirtyPanes.add(cell);
    }
    return outcome;
  }

  /**
   * The windows that ended by `deadlineMs` (= watermark − lateness), merged; frees the panes no
   * open window needs.
   */
  close(deadlineMs: number): Cell[] {
    if (deadlineMs > this.frozenFloorMs()) this.freeze(deadlineMs);
    if (deadlineMs > this.closedDeadlineMs) this.closedDeadlineMs = deadlineMs;
    this.panes.dropWhile(
      (pane) => this.retiresAt(pane) <= deadlineMs,
      (cell) => {
        this.dirtyPanes.delete(cell);
        this.unsaved.drop(cell);
      },
    );
    const closed = this.frozen;
    this.frozen = [];
    return closed;
  }

  /** Live results: every open window covering a pane that changed since the last call, merged. */
  takeDirty(): Cell[] {
    const windows = new Map<number, Set<string>>();
    for (const pane of this.dirtyPanes) {
      pane.dirty = false;
      const { first, last } = this.coveringWindows(pane.start);
      for (let start = first; start <= last; start += this.spec.advanceMs) {
        if (start + this.spec.sizeMs <= this.frozenFloorMs()) continue;
        let keys = windows.get(start);
        if (!keys) windows.set(start, (keys = new Set()));
        keys.add(pane.keyId);
      }
    }
    this.dirtyPanes.clear();
    return [...windows].flatMap(([start, keys]) => this.merged(start, keys));
  }

  /** A pane's row lives until the last window covering it closes. */
  takeRowChanges(codec: CellCodec): StoreRowChanges {
    const upserts = this.unsaved
      .take()
      .map((cell) => cellRow(cell, this.retiresAt(cell.start), codec));
    return { deleted: [], upserts };
  }

  rows(codec: CellCodec): StoreRow[] {
    return [...this.panes.cells()].map((cell) => cellRow(cell, this.retiresAt(cell.start), codec));
  }

  loadRows(states: readonly unknown[], codec: CellCodec): void {
    for (const state of states) this.load(codec.load(state));
  }

  markAllUnsaved(): void {
    for (const cell of this.panes.cells()) this.unsaved.touch(cell);
  }

  get size(): number {
    return this.panes.size;
  }

  private load(cell: Cell): void {
    if (
      cell.end - cell.start !== this.paneMs ||
      mod(cell.start - this.spec.offsetMs, this.paneMs) !== 0
    ) {
      throw new SnapshotError(
        `metric ${this.metric.name}: saved cell [${cell.start}, ${cell.end}) is not a pane of ${this.paneMs} ms (hopping windows are kept as panes since checkpoint rows of whole windows)`,
      );
    }
    this.panes.put(cell);
    if (cell.dirty) this.dirtyPanes.add(cell);
  }

  private frozenFloorMs(): number {
    return Math.max(this.frozenDeadlineMs, this.closedDeadlineMs);
  }

  /**
   * Merges every window ending in (floor, deadline] that has a pane; they are final from now on.
   */
  private freeze(deadlineMs: number): void {
    const floorMs = this.frozenFloorMs();
    this.frozenDeadlineMs = deadlineMs;
    const { sizeMs, advanceMs, offsetMs } = this.spec;
    // The deadline moves with almost every event, window ends only every `advance`: most calls end
    // here.
    if (
      Number.isFinite(floorMs) &&
      floorMs - modulo(floorMs - offsetMs - sizeMs, advanceMs) + advanceMs > deadlineMs
    )
      return;
    const starts = new Set<number>();
    for (const pane of this.panes.starts) {
      const { first, last } = this.coveringWindows(pane);
      if (first + sizeMs > deadlineMs) break; // later panes' windows end later still
      for (let start = first; start <= last; start += advanceMs)
        if (start + sizeMs > floorMs && start + sizeMs <= deadlineMs) starts.add(start);
    }
    for (const start of [...starts].sort((a, b) => a - b))
      this.frozen.push(...this.merged(start, undefined));
  }

  /**
   * The window starting at `start`, per key (only `keys` when given): its panes merged into new
   * cells.
   */
  private merged(start: number, keys: ReadonlySet<string> | undefined): Cell[] {
    const out = new Map<string, Cell>();
    const aggregates = this.metric.aggregates;
    for (let pane = start; pane < start + this.spec.sizeMs; pane += this.paneMs) {
      for (const cell of this.panes.at(pane)) {
        if (keys && !keys.has(cell.keyId)) continue;
        let window = out.get(cell.keyId);
        if (!window) {
          const accs = aggregates.map(([, agg]) => agg.init());
          window = {
            ...cell,
            start,
            end: start + this.spec.sizeMs,
            version: 0,
            dirty: false,
            unsaved: false,
            accs,
          };
          out.set(cell.keyId, window);
        }
        for (let i = 0; i < aggregates.length; i += 1)
          window.accs[i] = (aggregates[i] as (typeof aggregates)[number])[1].merge(
            window.accs[i],
            cell.accs[i],
          );
        window.version += cell.version;
      }
    }
    return [...out.values()];
  }

  /** Starts of the first and last window covering the pane starting at `pane`. */
  private coveringWindows(pane: number): { first: number; last: number } {
    const { sizeMs, advanceMs, offsetMs } = this.spec;
    const last = pane - modulo(pane - offsetMs, advanceMs);
    return {
      first: last - Math.floor((sizeMs - this.paneMs - (pane - last)) / advanceMs) * advanceMs,
      last,
    };
  }

  private retiresAt(pane: number): number {
    return this.coveringWindows(pane).last + this.spec.sizeMs;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
