import type { CellCodec } from './cells';
import { Parsed, parseEvent, toResult, toRetraction } from './event-parsing';
import { currentCodec, layoutOf, MetricLayout } from './layouts';
import type { Metric } from './metric';
import type { EngineOutput, LateEvent, Retraction, WindowResult } from './outputs';
import type { MetricHeader } from './partition-state';
import { WatermarkTracker } from './watermarks';
import type { WindowBounds, WindowStore } from './window-store';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and these are used per event.
 */
const parseOne = parseEvent;

/** One metric of an engine: its watermark, and its windows per input partition. */
export class MetricRuntime<E> {
  /** Scratch space for the event being processed. */
  private readonly parsed: Parsed = { timeMs: 0, keyId: '', values: [] };
  readonly watermark: WatermarkTracker;
  readonly stores = new Map<number, WindowStore<E>>();
  readonly layout: MetricLayout;
  readonly codec: CellCodec;
  /** Per partition: windows starting at or before this are partial (the metric started late), never reported. */
  readonly reportsAfter = new Map<number, number>();
  lateCount = 0;
  rejectedCount = 0;

  constructor(
    readonly metric: Metric<E>,
    idleTimeoutMs: number,
  ) {
    this.watermark = new WatermarkTracker(metric.watermarkDelayMs, idleTimeoutMs);
    this.layout = layoutOf(metric);
    this.codec = currentCodec(metric);
  }

  storeFor(partition: number): WindowStore<E> {
    let store = this.stores.get(partition);
    if (!store) {
      store = this.metric.window.createStore(this.metric);
      this.stores.set(partition, store);
    }
    return store;
  }

  /**
   * Lateness is decided per event against the partition's own watermark (its largest event time
   * so far − delay) or what was already closed, whichever is later: for a partition that is not
   * idle that depends on its own events only, so a replay after a crash decides exactly alike.
   */
  process(
    partition: number,
    events: readonly E[],
    times: Float64Array,
    nowMs: number,
    out: Outputs<E>,
  ): void {
    const { metric, parsed } = this;
    const store = this.storeFor(partition);
    const clock = this.watermark.clock(partition, nowMs);
    let maxTimeMs = clock.maxEventTimeMs;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i] as E;
      const timeMs = times[i] as number; // NaN: invalid
      if (timeMs > maxTimeMs) maxTimeMs = timeMs; // filtered-out events move time too
      const counts = parseOne(metric, event, timeMs, parsed);
      if (counts === true) {
        const deadlineMs = Math.max(maxTimeMs - metric.graceMs, store.closedDeadlineMs);
        this.add(store, partition, event, deadlineMs, out);
      } else if (counts !== false) {
        this.rejectedCount += 1;
        out.outputs.push({ kind: 'error', partition, event, error: counts });
      }
    }
    clock.maxEventTimeMs = maxTimeMs;
    if (events.length > 0) clock.lastActiveMs = nowMs;
  }

  private add(
    store: WindowStore<E>,
    partition: number,
    event: E,
    deadlineMs: number,
    out: Outputs<E>,
  ): void {
    const { timeMs, keyId, values } = this.parsed;
    const outcome = store.add(event, timeMs, keyId, values, deadlineMs);
    if (outcome === undefined) return;
    for (const window of outcome.lateFor) {
      out.outputs.push(this.late(partition, event, timeMs, window, deadlineMs));
    }
    for (const cell of outcome.absorbed)
      out.retractions.push(toRetraction(this.metric, partition, cell));
  }

  /** Late by how far the deadline (watermark − allowed lateness) is past the window's end. */
  private late(
    partition: number,
    event: E,
    eventTimeMs: number,
    window: WindowBounds,
    deadlineMs: number,
  ): LateEvent<E> {
    this.lateCount += 1;
    return {
      kind: 'late',
      metric: this.metric.name,
      partition,
      event,
      eventTimeMs,
      windowStartMs: window.start,
      windowEndMs: window.end,
      watermarkMs: deadlineMs + this.metric.allowedLatenessMs,
      lateByMs: deadlineMs - window.end,
    };
  }

  /** Each partition closes by its own watermark; an idle one also by the metric's (idle release). */
  close(nowMs: number, out: EngineOutput<E>[]): void {
    const lateness = this.metric.allowedLatenessMs;
    const metricDeadline = this.watermark.advance(nowMs) - lateness;
    for (const [partition, store] of this.stores) {
      const own = this.watermark.partitionWatermarkMs(partition) - lateness;
      const deadline = this.watermark.isIdle(partition, nowMs)
        ? Math.max(own, metricDeadline)
        : own;
      if (deadline <= store.closedDeadlineMs) continue;
      const after = this.reportsAfter.get(partition) ?? -Infinity;
      for (const cell of store.close(deadline)) {
        if (cell.start > after) out.push(toResult(this.metric, partition, cell, true));
      }
    }
  }

  /** Live results of the windows changed since the last call. */
  takeUpdates(out: (WindowResult | Retraction)[]): void {
    for (const [partition, store] of this.stores) {
      const after = this.reportsAfter.get(partition) ?? -Infinity;
      for (const cell of store.takeDirty()) {
        if (cell.start > after) out.push(toResult(this.metric, partition, cell, false));
      }
    }
  }

  headerOf(partition: number): MetricHeader {
    const closed = this.stores.get(partition)?.closedDeadlineMs ?? -Infinity;
    const after = this.reportsAfter.get(partition);
    return {
      maxEventTimeMs: this.watermark.maxEventTime(partition) ?? null,
      closedDeadlineMs: Number.isFinite(closed) ? closed : null,
      layout: this.layout,
      ...(after !== undefined ? { reportsAfterMs: after } : {}),
    };
  }

  release(partition: number): void {
    this.stores.delete(partition);
    this.watermark.forget(partition);
    this.reportsAfter.delete(partition);
  }
}

/** Where a batch's outputs go: late and rejected events and finals in order; retractions apart. */
export interface Outputs<E> {
  readonly outputs: EngineOutput<E>[];
  readonly retractions: Retraction[];
}
