import { Cell, cellValues } from './cells';
import { INVALID_KEY, INVALID_TIME } from './compiled';
import { EventError, InvalidMetricError, SnapshotError } from './errors';
import { BatchEventTimes } from './event-times';
import { FixedWindowStore } from './fixed-windows';
import { PaneWindowStore } from './pane-windows';
import type { Metric } from './metric';
import { EngineOutput, LateEvent, resultId, Retraction, WindowResult } from './outputs';
import { clockOf, loadRows, loadStore, MetricClock, PartitionChanges, PartitionHeader, PartitionSnapshot, saveStore, StateRow, Store, storeChanges } from './partition-state';
import { SessionWindowStore } from './session-windows';
import { WatermarkTracker } from './watermarks';

export interface EngineOptions {
  /** Processing time after which a silent partition stops holding the watermark back. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

interface Parsed {
  timeMs: number;
  keyId: string;
  readonly values: unknown[];
}

interface MetricRuntime<E> {
  readonly metric: Metric<E>;
  /** Scratch space for the event being processed. */
  readonly parsed: Parsed;
  readonly watermark: WatermarkTracker;
  readonly stores: Map<number, Store<E>>;
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
    if (names.size !== metrics.length) throw new InvalidMetricError(metrics.map((m) => m.name).join(', '), 'two metrics share a name');
    const idle = options.idleTimeoutMs ?? 60_000;
    this.runtimes = metrics.map((metric) => ({ metric, parsed: { timeMs: 0, keyId: '', values: [] }, watermark: new WatermarkTracker(metric.watermarkDelayMs, idle), stores: new Map() }));
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
    for (const runtime of this.runtimes) this.processBatch(runtime, partition, batch, this.times.of(runtime.metric.eventTime, batch), nowMs, out);
    return this.closeWindows(nowMs, out);
  }

  /** Re-evaluates watermarks at processing time `nowMs` (idle partitions) and closes what that allows. */
  advance(nowMs: number): EngineOutput<E>[] {
    return this.closeWindows(nowMs, []);
  }

  /** Live results of every (window, key) that changed since the last call, plus retractions. */
  emitUpdates(): (WindowResult | Retraction)[] {
    const out: (WindowResult | Retraction)[] = [];
    for (const { metric, stores } of this.runtimes) {
      for (const [partition, store] of stores) {
        for (const cell of store.takeDirty()) {
          cell.emitted = true;
          out.push(toResult(metric, partition, cell, false));
        }
      }
    }
    return out.concat(this.pendingRetractions.splice(0));
  }

  watermarkMs(metricName: string): number {
    return this.runtime(metricName).watermark.watermarkMs;
  }

  get stats(): EngineStats {
    let openCells = 0;
    for (const { stores } of this.runtimes) for (const store of stores.values()) openCells += store.size;
    return { late: this.lateCount, rejected: this.rejectedCount, openCells };
  }

  /** The partition's whole state as one plain JSON document. */
  snapshot(partition: number): PartitionSnapshot {
    const metrics: Record<string, PartitionSnapshot['metrics'][string]> = {};
    for (const runtime of this.runtimes) metrics[runtime.metric.name] = saveStore(runtime.metric, runtime.stores.get(partition), this.clockOf(runtime, partition));
    return { format: 1, partition, metrics };
  }

  /**
   * What changed in the partition since the previous call (or since it started or was restored):
   * a checkpoint's increment, applied to the saved rows as `PartitionChanges` says. Take it at
   * the same instant as the offset it covers, after `emitUpdates` (rows keep the emission flags).
   */
  takeChanges(partition: number): PartitionChanges {
    const metrics: Record<string, MetricClock> = {};
    const deleted: PartitionChanges['deleted'][number][] = [];
    const upserts: StateRow[] = [];
    for (const runtime of this.runtimes) {
      const store = this.storeFor(runtime, partition);
      metrics[runtime.metric.name] = this.clockOf(runtime, partition);
      const changes = storeChanges(runtime.metric, store);
      deleted.push(...changes.deleted);
      for (const row of changes.upserts) upserts.push(row);
    }
    const replaceAll = this.replaceOnNextChanges.delete(partition);
    return { header: { format: 2, partition, metrics }, replaceAll, deleted, upserts };
  }

  /**
   * Resumes a partition (taken by this or another process with the same metrics) from a whole
   * snapshot, or from a header and its rows.
   */
  restore(saved: PartitionSnapshot | PartitionHeader, nowMs: number, rows: readonly StateRow[] = []): void {
    if (saved.format !== 1 && saved.format !== 2) throw new SnapshotError(`snapshot format ${String((saved as { format: unknown }).format)} is neither 1 nor 2`);
    const byMetric = groupByMetric(rows);
    for (const runtime of this.runtimes) {
      const state = saved.metrics[runtime.metric.name];
      if (!state) throw new SnapshotError(`snapshot of partition ${saved.partition} has no state for metric ${runtime.metric.name}`);
      const clock = runtime.watermark.clock(saved.partition, nowMs);
      clock.maxEventTimeMs = Math.max(clock.maxEventTimeMs, state.maxEventTimeMs ?? -Infinity);
      clock.lastActiveMs = nowMs;
      const store = this.storeFor(runtime, saved.partition);
      store.closedDeadlineMs = Math.max(store.closedDeadlineMs, state.closedDeadlineMs ?? -Infinity);
      if (saved.format === 1) loadStore(runtime.metric, store, state as PartitionSnapshot['metrics'][string]);
      else loadRows(runtime.metric, store, byMetric.get(runtime.metric.name) ?? []);
    }
    // A whole snapshot's cells are in no row yet, and rows of an older run may linger: start the rows over.
    if (saved.format === 1) this.replaceOnNextChanges.add(saved.partition);
  }

  /**
   * Declares the input partitions this engine owns (a consumer's assignment). Until one sends
   * events or goes idle it holds the watermark, so its old events are not mistaken for late.
   */
  assign(partitions: Iterable<number>, nowMs: number): void {
    for (const partition of partitions) for (const runtime of this.runtimes) runtime.watermark.clock(partition, nowMs);
  }

  /** Drops a partition's state (it moved to another process). */
  release(partition: number): void {
    for (const runtime of this.runtimes) {
      runtime.stores.delete(partition);
      runtime.watermark.forget(partition);
    }
    this.replaceOnNextChanges.delete(partition);
  }

  /**
   * Lateness is decided per event against the partition's own watermark (its largest event time
   * so far − delay) or what was already closed, whichever is later: for a partition that is not
   * idle that depends on its own events only, so a replay after a crash decides exactly alike.
   */
  private processBatch(runtime: MetricRuntime<E>, partition: number, events: readonly E[], times: Float64Array, nowMs: number, out: EngineOutput<E>[]): void {
    const { metric, parsed } = runtime;
    const store = this.storeFor(runtime, partition);
    const clock = runtime.watermark.clock(partition, nowMs);
    const slackMs = runtime.watermark.delayMs + metric.allowedLatenessMs;
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
        const deadlineMs = Math.max(maxTimeMs - slackMs, store.closedDeadlineMs);
        this.addToStore(store, metric, partition, event, parsed, deadlineMs, out);
      }
    }
    clock.maxEventTimeMs = maxTimeMs;
    if (events.length > 0) clock.lastActiveMs = nowMs;
  }

  private addToStore(store: Store<E>, metric: Metric<E>, partition: number, event: E, parsed: Parsed, deadlineMs: number, out: EngineOutput<E>[]): void {
    const { timeMs, keyId, values } = parsed;
    const watermarkMs = deadlineMs + metric.allowedLatenessMs;
    if (!(store instanceof SessionWindowStore)) {
      const closed = store.add(event, timeMs, keyId, values, deadlineMs);
      const size = metric.window.kind === 'session' ? 0 : metric.window.sizeMs;
      for (const start of closed) out.push(this.late(metric, partition, event, timeMs, start, start + size, watermarkMs));
      return;
    }
    const outcome = store.add(event, timeMs, keyId, values, deadlineMs);
    if (outcome.lateWindow) out.push(this.late(metric, partition, event, timeMs, outcome.lateWindow.start, outcome.lateWindow.end, watermarkMs));
    for (const cell of outcome.absorbed) this.pendingRetractions.push(toRetraction(metric, partition, cell));
  }

  private late(metric: Metric<E>, partition: number, event: E, eventTimeMs: number, start: number, end: number, watermarkMs: number): LateEvent<E> {
    this.lateCount += 1;
    const lateByMs = watermarkMs - (end + metric.allowedLatenessMs);
    return { kind: 'late', metric: metric.name, partition, event, eventTimeMs, windowStartMs: start, windowEndMs: end, watermarkMs, lateByMs };
  }

  /** Each partition closes by its own watermark; an idle one also by the metric's (idle release). */
  private closeWindows(nowMs: number, out: EngineOutput<E>[]): EngineOutput<E>[] {
    for (const { metric, watermark, stores } of this.runtimes) {
      const metricDeadline = watermark.advance(nowMs) - metric.allowedLatenessMs;
      for (const [partition, store] of stores) {
        const own = watermark.partitionWatermarkMs(partition) - metric.allowedLatenessMs;
        const deadline = watermark.isIdle(partition, nowMs) ? Math.max(own, metricDeadline) : own;
        if (deadline <= store.closedDeadlineMs) continue;
        for (const cell of store.close(deadline)) out.push(toResult(metric, partition, cell, true));
      }
    }
    return out;
  }

  private storeFor(runtime: MetricRuntime<E>, partition: number): Store<E> {
    let store = runtime.stores.get(partition);
    if (!store) {
      const w = runtime.metric.window;
      store = w.kind === 'session' ? new SessionWindowStore(runtime.metric, w.gapMs) : w.kind === 'hopping' ? new PaneWindowStore(runtime.metric, w) : new FixedWindowStore(runtime.metric, w);
      runtime.stores.set(partition, store);
    }
    return store;
  }

  private clockOf(runtime: MetricRuntime<E>, partition: number): MetricClock {
    return clockOf(runtime.stores.get(partition) as Store<unknown> | undefined, runtime.watermark.maxEventTime(partition));
  }

  private runtime(name: string): MetricRuntime<E> {
    const runtime = this.runtimes.find((r) => r.metric.name === name);
    if (!runtime) throw new SnapshotError(`no metric named ${name}`);
    return runtime;
  }
}

/**
 * Reads an event into `into` (key id, selected values) with the metric's compiled code: true
 * when it counts, false when the metric filters it out, or why it cannot count. `into` is
 * scratch space reused per metric, consumed before the next event (the engine is synchronous),
 * so the hot path allocates nothing.
 */
function parseEvent<E>(metric: Metric<E>, event: E, timeMs: number, into: Parsed): true | false | EventError {
  try {
    const code = metric.compiled.parse(event, timeMs, into);
    if (code === true) {
      into.timeMs = timeMs;
      return true;
    }
    return code === false ? false : whyNot(metric, event, code);
  } catch (cause) {
    return new EventError('SELECTOR_FAILED', metric.name, 'a selector', `threw: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** The error for a refused event (the cold path: read again to say what was wrong). */
function whyNot<E>(metric: Metric<E>, event: E, code: number): EventError {
  if (code === INVALID_TIME) {
    const raw = metric.eventTime(event);
    return new EventError('INVALID_EVENT_TIME', metric.name, 'event time', `is ${String(raw)}, not integer epoch milliseconds`);
  }
  if (code === INVALID_KEY) return new EventError('INVALID_KEY', metric.name, 'group key', 'has a value that is not a string, number, boolean or null');
  const [name, agg] = metric.aggregates[code] as (typeof metric.aggregates)[number];
  return new EventError('INVALID_VALUE', metric.name, name, agg.check(agg.select(event)) ?? 'is invalid');
}

function toResult<E>(metric: Metric<E>, partition: number, cell: Cell, final: boolean): WindowResult {
  return {
    kind: 'result', id: resultId(metric.name, partition, cell.start, cell.keyId), version: cell.version, metric: metric.name,
    partition, windowStartMs: cell.start, windowEndMs: cell.end, key: cell.key, values: cellValues(metric, cell), final,
  };
}

function toRetraction<E>(metric: Metric<E>, partition: number, cell: Cell): Retraction {
  return { kind: 'retract', id: resultId(metric.name, partition, cell.start, cell.keyId), version: cell.version, metric: metric.name, partition, windowStartMs: cell.start, key: cell.key };
}

function groupByMetric(rows: readonly StateRow[]): Map<string, StateRow[]> {
  const byMetric = new Map<string, StateRow[]>();
  for (const row of rows) {
    const list = byMetric.get(row.metric);
    if (list) list.push(row);
    else byMetric.set(row.metric, [row]);
  }
  return byMetric;
}
