import { InvalidMetricError, SnapshotError } from './errors';
import { BatchEventTimes } from './event-times';
import type { Metric } from './metric';
import { MetricRuntime } from './metric-runtime';
import type { EngineOutput, Retraction, WindowResult } from './outputs';
import {
  MetricRestore,
  needsRewrite,
  planRestore,
  reportOf,
  RestoreOptions,
  RestoreReport,
} from './partition-restore';
import {
  groupByMetric,
  LegacySnapshot,
  MetricHeader,
  PartitionChanges,
  PartitionHeader,
  PartitionSnapshot,
  SavedPartitionState,
  savedStateOf,
  StateRow,
} from './partition-state';

export interface EngineOptions {
  /**
   * Processing time after which a silent partition stops holding the watermark back. Default 60 s.
   */
  readonly idleTimeoutMs?: number;
}

export interface EngineStats {
  readonly late: number;
  readonly rejected: number;
  readonly openCells: number;
}

/**
 * Evaluates many metrics over one stream in a single pass. Pure and synchronous: events, event
 * times and processing time (`nowMs`, used only for idleness) all come from the caller. State is
 * kept per input partition, so a partition's state can be snapshotted, moved and restored.
 */
export class WindowingEngine<E> {
  private readonly runtimes: MetricRuntime<E>[];
  private readonly pendingRetractions: Retraction[] = [];
  private readonly replaceOnNextChanges = new Set<number>();
  private readonly times = new BatchEventTimes<E>();

  constructor(metrics: readonly Metric<E>[], options: EngineOptions = {}) {
    const names = new Set(metrics.map((m) => m.name));
    if (names.size !== metrics.length)
      throw new InvalidMetricError(
        metrics.map((m) => m.name).join(', '),
        'two metrics share a name',
      );
    const idle = options.idleTimeoutMs ?? 60_000;
    this.runtimes = metrics.map((metric) => new MetricRuntime(metric, idle));
  }

  /**
   * Adds a batch of one partition's events, in partition order. Returns the late and rejected
   * events, then the final results of windows the advanced watermark closed.
   */
  process(partition: number, events: Iterable<E>, nowMs: number): EngineOutput<E>[] {
    const out: EngineOutput<E>[] = [];
    const batch = Array.isArray(events) ? (events as readonly E[]) : [...events];
    this.times.reset();
    // Metrics are independent (own watermark, own state), so each takes the whole batch in turn.
    const sink = { outputs: out, retractions: this.pendingRetractions };
    for (const runtime of this.runtimes) {
      runtime.process(
        partition,
        batch,
        this.times.of(runtime.metric.eventTime, batch),
        nowMs,
        sink,
      );
    }
    return this.closeWindows(nowMs, out);
  }

  /**
   * Re-evaluates watermarks at processing time `nowMs` (idle partitions) and closes what that
   * allows.
   */
  advance(nowMs: number): EngineOutput<E>[] {
    return this.closeWindows(nowMs, []);
  }

  /** Live results of every (window, key) that changed since the last call, plus retractions. */
  emitUpdates(): (WindowResult | Retraction)[] {
    const out: (WindowResult | Retraction)[] = [];
    for (const runtime of this.runtimes) runtime.takeUpdates(out);
    return out.concat(this.pendingRetractions.splice(0));
  }

  /**
   * The largest event time seen in the partition (undefined before any): every metric sees every
   * event.
   */
  maxEventTimeMs(partition: number): number | undefined {
    let max: number | undefined;
    for (const { watermark } of this.runtimes) {
      const seen = watermark.maxEventTime(partition);
      if (seen !== undefined && (max === undefined || seen > max)) max = seen;
    }
    return max;
  }

  watermarkMs(metricName: string): number {
    return this.runtime(metricName).watermark.watermarkMs;
  }

  get stats(): EngineStats {
    let [late, rejected, openCells] = [0, 0, 0];
    for (const runtime of this.runtimes) {
      late += runtime.lateCount;
      rejected += runtime.rejectedCount;
      for (const store of runtime.stores.values()) openCells += store.size;
    }
    return { late, rejected, openCells };
  }

  /** The partition's whole state as one plain JSON document. */
  snapshot(partition: number): PartitionSnapshot {
    const rows: StateRow[] = [];
    for (const runtime of this.runtimes) {
      const store = runtime.stores.get(partition);
      for (const row of store?.rows(runtime.codec) ?? [])
        rows.push({ metric: runtime.metric.name, ...row });
    }
    return { format: 3, header: this.headerOf(partition), rows };
  }

  /**
   * What changed in the partition since the previous call (or since it started or was restored):
   * a checkpoint's increment, applied to the saved rows as `PartitionChanges` says. Take it at
   * the same instant as the offset it covers, after `emitUpdates` (rows keep the live-result
   * flags).
   */
  takeChanges(partition: number): PartitionChanges {
    const deleted: PartitionChanges['deleted'][number][] = [];
    const upserts: StateRow[] = [];
    for (const runtime of this.runtimes) {
      const metric = runtime.metric.name;
      const changes = runtime.storeFor(partition).takeRowChanges(runtime.codec);
      for (const id of changes.deleted) deleted.push({ metric, id });
      for (const row of changes.upserts) upserts.push({ metric, ...row });
    }
    const replaceAll = this.replaceOnNextChanges.delete(partition);
    return { header: this.headerOf(partition), replaceAll, deleted, upserts };
  }

  /**
   * Resumes a partition (taken by this or another process) from a header and its rows, or from a
   * whole snapshot. Saved aggregates are matched to the metrics by name; a metric without saved
   * state (or reset) starts over. Throws (changing nothing) when saved state cannot fit a metric.
   */
  restore(
    saved: PartitionHeader | PartitionSnapshot | LegacySnapshot,
    nowMs: number,
    rows: readonly StateRow[] = [],
    options: RestoreOptions = {},
  ): RestoreReport {
    const state = readSaved(saved, rows);
    const metrics = this.runtimes.map((r) => r.metric);
    const plans = planRestore(metrics, state, groupByMetric(state.rows), options);
    const report = reportOf(metrics, state, plans);
    this.runtimes.forEach((runtime, i) =>
      this.restoreMetric(runtime, state, plans[i] as MetricRestore, report, nowMs),
    );
    if (needsRewrite(state, report)) {
      for (const runtime of this.runtimes) runtime.storeFor(report.partition).markAllUnsaved();
      this.replaceOnNextChanges.add(report.partition);
    }
    return report;
  }

  private restoreMetric(
    runtime: MetricRuntime<E>,
    saved: SavedPartitionState,
    plan: MetricRestore,
    report: RestoreReport,
    nowMs: number,
  ): void {
    const partition = saved.header.partition;
    const clock = runtime.watermark.clock(partition, nowMs);
    clock.lastActiveMs = nowMs;
    const store = runtime.storeFor(partition);
    if (plan.kind === 'start') {
      // Events up to the past event time went by without it: it keeps pace with the others.
      const pastMs = report.pastEventTimeMs;
      clock.maxEventTimeMs = Math.max(clock.maxEventTimeMs, pastMs ?? -Infinity);
      if (pastMs !== null) {
        runtime.reportsAfter.set(partition, runtime.metric.window.lastPartialStartMs(pastMs));
      }
      return;
    }
    clock.maxEventTimeMs = Math.max(clock.maxEventTimeMs, plan.header.maxEventTimeMs ?? -Infinity);
    store.closedDeadlineMs = Math.max(
      store.closedDeadlineMs,
      plan.header.closedDeadlineMs ?? -Infinity,
    );
    if (plan.header.reportsAfterMs !== undefined) {
      runtime.reportsAfter.set(partition, plan.header.reportsAfterMs);
    }
    store.loadRows(plan.states, plan.codec);
  }

  /**
   * Declares the input partitions this engine owns (a consumer's assignment). Until one sends
   * events or goes idle it holds the watermark, so its old events are not mistaken for late.
   */
  assign(partitions: Iterable<number>, nowMs: number): void {
    for (const partition of partitions)
      for (const runtime of this.runtimes) runtime.watermark.clock(partition, nowMs);
  }

  /** Drops a partition's state (it moved to another process). */
  release(partition: number): void {
    for (const runtime of this.runtimes) runtime.release(partition);
    this.replaceOnNextChanges.delete(partition);
  }

  private closeWindows(nowMs: number, out: EngineOutput<E>[]): EngineOutput<E>[] {
    for (const runtime of this.runtimes) runtime.close(nowMs, out);
    return out;
  }

  private headerOf(partition: number): PartitionHeader {
    const metrics: Record<string, MetricHeader> = {};
    for (const runtime of this.runtimes) metrics[runtime.metric.name] = runtime.headerOf(partition);
    return { format: 4, partition, metrics };
  }

  private runtime(name: string): MetricRuntime<E> {
    const runtime = this.runtimes.find((r) => r.metric.name === name);
    if (!runtime) throw new SnapshotError(`no metric named ${name}`);
    return runtime;
  }
}

function readSaved(
  saved: PartitionHeader | PartitionSnapshot | LegacySnapshot,
  rows: readonly StateRow[],
): SavedPartitionState {
  try {
    return savedStateOf(saved, rows);
  } catch (error) {
    throw new SnapshotError((error as Error).message);
  }
}
