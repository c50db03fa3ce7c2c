import type { CellCodec } from './cells';
import { EventError, InvalidMetricError, SnapshotError } from './errors';
import { BatchEventTimes } from './event-times';
import { Parsed, parseEvent, toResult, toRetraction } from './event-parsing';
import { currentCodec, layoutOf, MetricLayout } from './layouts';
import type { Metric } from './metric';
import type { EngineOutput, LateEvent, Retraction, WindowResult } from './outputs';
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
import { WatermarkTracker } from './watermarks';
import { ADDED, WindowStore } from './window-store';

export interface EngineOptions {
  /** Processing time after which a silent partition stops holding the watermark back. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

interface MetricRuntime<E> {
  readonly metric: Metric<E>;
  /** Scratch space for the event being processed. */
  readonly parsed: Parsed;
  readonly watermark: WatermarkTracker;
  readonly stores: Map<number, WindowStore<E>>;
  readonly layout: MetricLayout;
  readonly codec: CellCodec;
  /** Per partition: windows starting at or before this are partial (the metric started late), never reported. */
  readonly reportsAfter: Map<number, number>;
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
  private lateCount = 0;
  private rejectedCount = 0;

  constructor(metrics: readonly Metric<E>[], options: EngineOptions = {}) {
    const names = new Set(metrics.map((m) => m.name));
    if (names.size !== metrics.length)
      throw new InvalidMetricError(
        metrics.map((m) => m.name).join(', '),
        'two metrics share a name',
      );
    const idle = options.idleTimeoutMs ?? 60_000;
    this.runtimes = metrics.map((metric) => ({
      metric,
      parsed: { timeMs: 0, keyId: '', values: [] },
      watermark: new WatermarkTracker(metric.watermarkDelayMs, idle),
      stores: new Map(),
      layout: layoutOf(metric),
      codec: currentCodec(metric),
      reportsAfter: new Map(),
    }));
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
    for (const runtime of this.runtimes)
      this.processBatch(
        runtime,
        partition,
        batch,
        this.times.of(runtime.metric.eventTime, batch),
        nowMs,
        out,
      );
    return this.closeWindows(nowMs, out);
  }

  /** Re-evaluates watermarks at processing time `nowMs` (idle partitions) and closes what that allows. */
  advance(nowMs: number): EngineOutput<E>[] {
    return this.closeWindows(nowMs, []);
  }

  /** Live results of every (window, key) that changed since the last call, plus retractions. */
  emitUpdates(): (WindowResult | Retraction)[] {
    const out: (WindowResult | Retraction)[] = [];
    for (const runtime of this.runtimes) {
      for (const [partition, store] of runtime.stores) {
        const after = runtime.reportsAfter.get(partition) ?? -Infinity;
        for (const cell of store.takeDirty())
          if (cell.start > after) out.push(toResult(runtime.metric, partition, cell, false));
      }
    }
    return out.concat(this.pendingRetractions.splice(0));
  }

  /** The largest event time seen in the partition (undefined before any): every metric sees every event. */
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
    let openCells = 0;
    for (const { stores } of this.runtimes)
      for (const store of stores.values()) openCells += store.size;
    return { late: this.lateCount, rejected: this.rejectedCount, openCells };
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
   * the same instant as the offset it covers, after `emitUpdates` (rows keep the live-result flags).
   */
  takeChanges(partition: number): PartitionChanges {
    const deleted: PartitionChanges['deleted'][number][] = [];
    const upserts: StateRow[] = [];
    for (const runtime of this.runtimes) {
      const metric = runtime.metric.name;
      const changes = this.storeFor(runtime, partition).takeRowChanges(runtime.codec);
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
      for (const runtime of this.runtimes)
        this.storeFor(runtime, report.partition).markAllUnsaved();
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
    const store = this.storeFor(runtime, partition);
    if (plan.kind === 'start') {
      // Events up to the past event time went by without it: it keeps pace with the others.
      clock.maxEventTimeMs = Math.max(clock.maxEventTimeMs, report.reportsAfterMs ?? -Infinity);
      if (report.reportsAfterMs !== null)
        runtime.reportsAfter.set(partition, report.reportsAfterMs);
      return;
    }
    clock.maxEventTimeMs = Math.max(clock.maxEventTimeMs, plan.header.maxEventTimeMs ?? -Infinity);
    store.closedDeadlineMs = Math.max(
      store.closedDeadlineMs,
      plan.header.closedDeadlineMs ?? -Infinity,
    );
    if (plan.header.reportsAfterMs !== undefined)
      runtime.reportsAfter.set(partition, plan.header.reportsAfterMs);
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
    for (const runtime of this.runtimes) {
      runtime.stores.delete(partition);
      runtime.watermark.forget(partition);
      runtime.reportsAfter.delete(partition);
    }
    this.replaceOnNextChanges.delete(partition);
  }

  /**
   * Lateness is decided per event against the partition's own watermark (its largest event time
   * so far − delay) or what was already closed, whichever is later: for a partition that is not
   * idle that depends on its own events only, so a replay after a crash decides exactly alike.
   */
  private processBatch(
    runtime: MetricRuntime<E>,
    partition: number,
    events: readonly E[],
    times: Float64Array,
    nowMs: number,
    out: EngineOutput<E>[],
  ): void {
    const { metric, parsed } = runtime;
    const store = this.storeFor(runtime, partition);
    const clock = runtime.watermark.clock(partition, nowMs);
    const graceMs = metric.graceMs;
    let maxTimeMs = clock.maxEventTimeMs;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i] as E;
      const timeMs = times[i] as number; // NaN: invalid
      if (timeMs > maxTimeMs) maxTimeMs = timeMs; // filtered-out events move time too
      const counts = parseEvent(metric, event, timeMs, parsed);
      if (counts instanceof EventError) {
        this.rejectedCount += 1;
        out.push({ kind: 'error', partition, event, error: counts });
      } else if (counts) {
        const deadlineMs = Math.max(maxTimeMs - graceMs, store.closedDeadlineMs);
        this.addToStore(store, metric, partition, event, parsed, deadlineMs, out);
      }
    }
    clock.maxEventTimeMs = maxTimeMs;
    if (events.length > 0) clock.lastActiveMs = nowMs;
  }

  private addToStore(
    store: WindowStore<E>,
    metric: Metric<E>,
    partition: number,
    event: E,
    parsed: Parsed,
    deadlineMs: number,
    out: EngineOutput<E>[],
  ): void {
    const { timeMs, keyId, values } = parsed;
    const outcome = store.add(event, timeMs, keyId, values, deadlineMs);
    if (outcome === ADDED) return;
    for (const window of outcome.lateFor)
      out.push(this.late(metric, partition, event, timeMs, window.start, window.end, deadlineMs));
    for (const cell of outcome.absorbed)
      this.pendingRetractions.push(toRetraction(metric, partition, cell));
  }

  /** Late by how far the deadline (watermark − allowed lateness) is past the window's end. */
  private late(
    metric: Metric<E>,
    partition: number,
    event: E,
    eventTimeMs: number,
    start: number,
    end: number,
    deadlineMs: number,
  ): LateEvent<E> {
    this.lateCount += 1;
    const watermarkMs = deadlineMs + metric.allowedLatenessMs;
    const lateByMs = deadlineMs - end;
    return {
      kind: 'late',
      metric: metric.name,
      partition,
      event,
      eventTimeMs,
      windowStartMs: start,
      windowEndMs: end,
      watermarkMs,
      lateByMs,
    };
  }

  /** Each partition closes by its own watermark; an idle one also by the metric's (idle release). */
  private closeWindows(nowMs: number, out: EngineOutput<E>[]): EngineOutput<E>[] {
    for (const { metric, watermark, stores, reportsAfter } of this.runtimes) {
      const metricDeadline = watermark.advance(nowMs) - metric.allowedLatenessMs;
      for (const [partition, store] of stores) {
        const own = watermark.partitionWatermarkMs(partition) - metric.allowedLatenessMs;
        const deadline = watermark.isIdle(partition, nowMs) ? Math.max(own, metricDeadline) : own;
        if (deadline <= store.closedDeadlineMs) continue;
        const after = reportsAfter.get(partition) ?? -Infinity;
        for (const cell of store.close(deadline))
          if (cell.start > after) out.push(toResult(metric, partition, cell, true));
      }
    }
    return out;
  }

  private storeFor(runtime: MetricRuntime<E>, partition: number): WindowStore<E> {
    let store = runtime.stores.get(partition);
    if (!store) {
      store = runtime.metric.window.createStore(runtime.metric);
      runtime.stores.set(partition, store);
    }
    return store;
  }

  private headerOf(partition: number): PartitionHeader {
    const metrics: Record<string, MetricHeader> = {};
    for (const runtime of this.runtimes) {
      const closed = runtime.stores.get(partition)?.closedDeadlineMs ?? -Infinity;
      const after = runtime.reportsAfter.get(partition);
      metrics[runtime.metric.name] = {
        maxEventTimeMs: runtime.watermark.maxEventTime(partition) ?? null,
        closedDeadlineMs: Number.isFinite(closed) ? closed : null,
        layout: runtime.layout,
        ...(after !== undefined ? { reportsAfterMs: after } : {}),
      };
    }
    return { format: 2, partition, metrics };
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
