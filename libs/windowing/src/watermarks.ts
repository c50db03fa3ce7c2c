interface PartitionClock {
  maxEventTimeMs: number;
  lastActiveMs: number;
}

/**
 * Event-time progress of one metric over the input partitions. Per partition the watermark is
 * the largest event time seen minus the delay; the metric's watermark is the minimum over the
 * active partitions, so a slow partition holds it back. A partition silent for `idleTimeoutMs`
 * of processing time stops counting until it speaks again; when every partition is idle the
 * most advanced one leads. The watermark never goes backwards.
 */
export class WatermarkTracker {
  private readonly partitions = new Map<number, PartitionClock>();
  private current = -Infinity;

  constructor(
    private readonly delayMs: number,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Current watermark (−Infinity before any event). */
  get watermarkMs(): number {
    return this.current;
  }

  /**
   * Declares a partition this engine owns before it has spoken: it holds the watermark back
   * (there may be old events in it) until it sends events or stays idle for the timeout.
   */
  assign(partition: number, nowMs: number): void {
    if (!this.partitions.has(partition)) this.partitions.set(partition, { maxEventTimeMs: -Infinity, lastActiveMs: nowMs });
  }

  observe(partition: number, eventTimeMs: number): void {
    const clock = this.partitions.get(partition);
    if (!clock) this.partitions.set(partition, { maxEventTimeMs: eventTimeMs, lastActiveMs: -Infinity });
    else if (eventTimeMs > clock.maxEventTimeMs) clock.maxEventTimeMs = eventTimeMs;
  }

  /** Marks a partition as heard from at processing time `nowMs` (even when all its events were late). */
  touch(partition: number, nowMs: number): void {
    const clock = this.partitions.get(partition);
    if (clock) clock.lastActiveMs = nowMs;
  }

  /** Recomputes the watermark at processing time `nowMs`; returns it. */
  advance(nowMs: number): number {
    let activeMin = Infinity;
    let anyMax = -Infinity;
    for (const clock of this.partitions.values()) {
      if (clock.maxEventTimeMs > anyMax) anyMax = clock.maxEventTimeMs; // −Infinity (never spoke) never leads
      const idle = nowMs - clock.lastActiveMs >= this.idleTimeoutMs;
      if (!idle && clock.maxEventTimeMs < activeMin) activeMin = clock.maxEventTimeMs;
    }
    const leading = activeMin === Infinity ? anyMax : activeMin;
    const candidate = leading - this.delayMs;
    if (candidate > this.current) this.current = candidate;
    return this.current;
  }

  forget(partition: number): void {
    this.partitions.delete(partition);
  }

  maxEventTime(partition: number): number | undefined {
    return this.partitions.get(partition)?.maxEventTimeMs;
  }

  /** Restores a partition's progress and the watermark already reached (never lowering it). */
  restore(partition: number, maxEventTimeMs: number | null, watermarkMs: number | null, nowMs: number): void {
    if (maxEventTimeMs !== null) this.partitions.set(partition, { maxEventTimeMs, lastActiveMs: nowMs });
    if (watermarkMs !== null && watermarkMs > this.current) this.current = watermarkMs;
  }
}
