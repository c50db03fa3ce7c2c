import type { CellCodec } from './cells';
import { LayoutChange, restoringCodec } from './layouts';
import type { Metric } from './metric';
import type { MetricHeader, SavedPartitionState } from './partition-state';

export interface RestoreOptions {
  /**
   * Metrics whose saved state is set aside: they start over as if new (see
   * `RestoreReport.started`).
   */
  readonly resetMetrics?: ReadonlySet<string>;
}

/** What a restore did beyond loading state as saved. */
export interface RestoreReport {
  readonly partition: number;
  /**
   * Configured metrics without saved state (new, or reset): they count from the restore on, and
   * windows that could hold an event at or before `pastEventTimeMs` (the event time already past)
   * beside later ones are not reported (`WindowSpec.lastPartialStartMs`).
   */
  readonly started: readonly string[];
  readonly pastEventTimeMs: number | null;
  /** Metrics whose saved aggregates were matched by name to a changed definition. */
  readonly changed: readonly LayoutChange[];
  /** Saved metrics no longer configured: their rows go at the next checkpoint. */
  readonly dropped: readonly string[];
}

/** How one metric resumes: from its saved rows (read with `codec`), or from nothing. */
export type MetricRestore =
  | {
      readonly kind: 'load';
      readonly header: MetricHeader;
      readonly codec: CellCodec;
      readonly states: readonly unknown[];
      readonly change?: LayoutChange;
    }
  | { readonly kind: 'start' };

/** Decides every metric's restore before any is applied: a refusal leaves the engine as it was. */
export function planRestore<E>(
  metrics: readonly Metric<E>[],
  saved: SavedPartitionState,
  states: ReadonlyMap<string, unknown[]>,
  options: RestoreOptions,
): MetricRestore[] {
  return metrics.map((metric) => {
    const header = saved.header.metrics[metric.name];
    if (!header || options.resetMetrics?.has(metric.name)) return { kind: 'start' };
    const { codec, change } = restoringCodec(metric, header.layout);
    return {
      kind: 'load',
      header,
      codec,
      states: states.get(metric.name) ?? [],
      ...(change ? { change } : {}),
    };
  });
}

export function reportOf<E>(
  metrics: readonly Metric<E>[],
  saved: SavedPartitionState,
  plans: readonly MetricRestore[],
): RestoreReport {
  const configured = new Set(metrics.map((m) => m.name));
  const changed: LayoutChange[] = [];
  const started: string[] = [];
  plans.forEach((plan, i) => {
    if (plan.kind === 'start') started.push((metrics[i] as Metric<E>).name);
    else if (plan.change) changed.push(plan.change);
  });
  const dropped = Object.keys(saved.header.metrics).filter((name) => !configured.has(name));
  return {
    partition: saved.header.partition,
    started,
    pastEventTimeMs: pastEventTimeMs(saved),
    changed,
    dropped,
  };
}

/** The largest event time the saved partition had seen (null: none). */
export function pastEventTimeMs(saved: SavedPartitionState): number | null {
  let max = -Infinity;
  for (const clock of Object.values(saved.header.metrics))
    max = Math.max(max, clock.maxEventTimeMs ?? -Infinity);
  return Number.isFinite(max) ? max : null;
}

/** Rows must be written again: whole documents, converted layouts, reset or dropped metrics. */
export function needsRewrite(saved: SavedPartitionState, report: RestoreReport): boolean {
  const reset = report.started.some((name) => saved.header.metrics[name] !== undefined);
  // Rows from before layouts were saved must not outlive a header that now declares one.
  const legacyRows = Object.values(saved.header.metrics).some((m) => m.layout === undefined);
  const changed = report.changed.length > 0 || report.dropped.length > 0;
  return saved.whole || reset || legacyRows || changed;
}
