export interface PartitionClock {
  /** Largest event time seen in the partition (−Infinity before any). */
  maxEventTimeMs: number;
  lastActiveMs: number;
}

/**
 * Event-time progress of one metric over the input partitions. Per partition the watermark is
 * the largest event time seen minus the delay. The metric's (reported) watermark is the minimum
 * over the active partitions, so a slow partition holds it back; a partition silent for
 * `idleTimeoutMs` of processing time stops counting until it speaks again; when every partition
 * is idle the most advanced one leads. That watermark never goes backwards.
 *
 * State is per partition, so each partition's windows close by its *own* watermark (exact and
 * replay-deterministic: it depends on that partition's events only); an idle partition's windows
 * close by the metric's watermark, so a silent partition does not keep its windows open forever.
 */
export class WatermarkTracker {
  private readonly partitions = new Map<number, PartitionClock>();
  private current = -Infinity;

  constructor(
    readonly delayMs: number,
    private readonly idleTimeoutMs: number,
  ) {}

  /** The metric's watermark (−Infinity before any event). */
  get watermarkMs(): number {
    return this.current;
  }

  /**
   * The partition's clock, created on first use (a partition assigned but silent holds the
   * watermark).
   */
  clock(partition: number, nowMs: number): PartitionClock {
    let clock = this.partitions.get(partition);
    if (!clock) {
      clock = { maxEventTimeMs: -Infinity, lastActiveMs: nowMs };
      this.partitions.set(partition, clock);
    }
    return clock;
  }

  /** The partition's own watermark. */
  partitionWatermarkMs(partition: number): number {
    return (this.partitions.get(partition)?.maxEventTimeMs ?? -Infinity) - this.delayMs;
  }

  isIdle(partition: number, nowMs: number): boolean {
    const clock = this.partitions.get(partition);
    return clock !== undefined && nowMs - clock.lastActiveMs >= this.idleTimeoutMs;
  }

  /** Recomputes the metric's watermark at processing time `nowMs`; returns it. */
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
    const max = this.partitions.get(partition)?.maxEventTimeMs;
    return max === undefined || max === -Infinity ? undefined : max;
  }
}
