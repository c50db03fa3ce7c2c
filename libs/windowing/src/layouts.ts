import type { AnyAggregator } from './aggregators/aggregator';
import type { CellCodec, SavedCell } from './cells';
import { SnapshotError, StateLayoutError } from './errors';
import type { Metric } from './metric';

/**
 * Version of the row encoding. 2: a cell row is a `SavedCell` whose accumulators follow the
 * metric layout saved beside it. 1 (before layouts were saved): accumulators by position in the
 * configured order, and an unused `emitted` flag before them.
 */
export const LAYOUT_VERSION = 2;

/** How one metric's state is laid out: saved with every checkpoint, compared on restore. */
export interface MetricLayout {
  readonly version: number;
  readonly window: string;
  /** `Metric.keyLayout`: cells of other keys cannot be re-keyed. */
  readonly key: string;
  /** [aggregate name, its state format], in the order cells save their accumulators. */
  readonly aggregates: readonly (readonly [name: string, state: string])[];
}

/** What a restore changed in a metric's saved state to fit its current definition. */
export interface LayoutChange {
  readonly metric: string;
  /** Aggregates the saved state lacks: in restored windows they count from the restore on. */
  readonly added: readonly string[];
  /** Saved aggregates the metric no longer has: dropped. */
  readonly removed: readonly string[];
}

export function layoutOf<E>(metric: Metric<E>): MetricLayout {
  return {
    version: LAYOUT_VERSION,
    window: metric.window.layout,
    key: metric.keyLayout,
    aggregates: metric.aggregates.map(([name, agg]) => [name, stateFormatOf(agg)] as const),
  };
}

function stateFormatOf<E>(agg: AnyAggregator<E>): string {
  return agg.stateFormat ?? agg.kind;
}

/** The codec that saves cells under the metric's current layout. */
export function currentCodec<E>(metric: Metric<E>): CellCodec {
  return codec(
    metric,
    metric.aggregates.map((_, i) => i),
    LAYOUT_VERSION,
  );
}

/**
 * The codec that reads rows saved under `saved` (undefined: saved before layouts were, read as
 * the current aggregates in order), and what that changes. Aggregates are matched by name;
 * throws StateLayoutError when the saved state cannot be made to fit.
 */
export function restoringCodec<E>(
  metric: Metric<E>,
  saved: MetricLayout | undefined,
): { codec: CellCodec; change?: LayoutChange } {
  if (saved === undefined)
    return {
      codec: codec(
        metric,
        metric.aggregates.map((_, i) => i),
        1,
      ),
    };
  if (saved.version !== 1 && saved.version !== LAYOUT_VERSION) {
    throw new SnapshotError(
      `metric ${metric.name}: state layout version ${saved.version} is newer than this engine's ` +
        `(${LAYOUT_VERSION}); run the version that wrote it, or reset the metric's state`,
    );
  }
  if (saved.window !== metric.window.layout) {
    throw new StateLayoutError(
      metric.name,
      `its state was saved for windows ${saved.window}, it is now ${metric.window.layout}`,
    );
  }
  if (saved.key !== undefined && saved.key !== metric.keyLayout) {
    const problem = `its state was saved keyed by ${saved.key}, it is now keyed by ${metric.keyLayout}`;
    throw new StateLayoutError(metric.name, problem);
  }
  const positions = matchAggregates(metric, saved);
  const current = metric.aggregates.map(([name]) => name);
  const added = current.filter((_, i) => positions[i] === -1);
  const removed = saved.aggregates.map(([name]) => name).filter((name) => !current.includes(name));
  const moved = positions.some((p, i) => p !== i) || removed.length > 0;
  const change = moved ? { metric: metric.name, added, removed } : undefined;
  return { codec: codec(metric, positions, saved.version), ...(change ? { change } : {}) };
}

/** For each current aggregate, its index in the saved state (−1: not saved). */
function matchAggregates<E>(metric: Metric<E>, saved: MetricLayout): number[] {
  return metric.aggregates.map(([name, agg]) => {
    const index = saved.aggregates.findIndex(([savedName]) => savedName === name);
    if (index === -1) return -1;
    const savedFormat = (saved.aggregates[index] as MetricLayout['aggregates'][number])[1];
    if (savedFormat !== stateFormatOf(agg)) {
      throw new StateLayoutError(
        metric.name,
        `aggregate ${name} was saved as ${savedFormat}, it is now ${stateFormatOf(agg)}`,
      );
    }
    return index;
  });
}

function codec<E>(metric: Metric<E>, positions: readonly number[], version: number): CellCodec {
  const aggregates = metric.aggregates;
  return {
    save: (cell) => {
      const accs = aggregates.map(([, agg], i) => agg.save(cell.accs[i]));
      return [cell.start, cell.end, cell.keyId, cell.key, cell.version, cell.dirty, accs];
    },
    load: (saved) => {
      const row = readRow(metric.name, saved, version);
      const accs = aggregates.map(([, agg], i) => {
        const at = positions[i] as number;
        return at === -1 ? agg.init() : agg.load(row[6][at]);
      });
      return {
        start: row[0],
        end: row[1],
        keyId: row[2],
        key: row[3],
        version: row[4],
        dirty: row[5],
        unsaved: false,
        accs,
      };
    },
  };
}

function readRow(metric: string, saved: unknown, version: number): SavedCell {
  const length = version === 1 ? 8 : 7;
  if (!Array.isArray(saved) || saved.length !== length || !Array.isArray(saved[length - 1])) {
    throw new SnapshotError(`metric ${metric}: a saved cell is not a layout-${version} row`);
  }
  return version === 1 ? ([...saved.slice(0, 6), saved[7]] as SavedCell) : (saved as SavedCell);
}
