export interface BatchLimits {
  /** Flush when this many items are buffered (default 1,000). */
  readonly maxItems?: number;
  /** Flush when the buffered items weigh this many bytes, by `sizeOf` (default 4 MiB). */
  readonly maxBytes?: number;
  /** Flush this long after the first item arrived, however few (default 200 ms). */
  readonly maxDelayMs?: number;
  /**
   * `write` waits (backpressure) while more than this many items are buffered or in flight (default
   * 4 × maxItems).
   */
  readonly maxPendingItems?: number;
}

/**
 * Collects items and hands them to `flushBatch` in batches, one batch at a time, in order.
 * Bounded: a caller that writes faster than the server takes is made to wait. A failed batch
 * (after the sink's own retries) is kept and thrown by the next `write` or `flush`: the writer
 * is then unusable, and the caller resumes from its last checkpoint (results are snapshots, so
 * rewriting them is harmless).
 */
export class BatchingWriter<T> {
  private buffer: T[] = [];
  private bufferedBytes = 0;
  private inFlightItems = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private readonly limits: Required<BatchLimits>;

  constructor(
    private readonly flushBatch: (items: T[]) => Promise<void>,
    private readonly sizeOf: (item: T) => number,
    limits: BatchLimits = {},
  ) {
    const maxItems = limits.maxItems ?? 1_000;
    this.limits = {
      maxItems,
      maxBytes: 4 * 2 ** 20,
      maxDelayMs: 200,
      maxPendingItems: 4 * maxItems,
      ...limits,
    };
  }

  async write(items: readonly T[]): Promise<void> {
    this.throwIfFailed();
    for (const item of items) {
      this.buffer.push(item);
      this.bufferedBytes += this.sizeOf(item);
      if (this.buffer.length >= this.limits.maxItems || this.bufferedBytes >= this.limits.maxBytes)
        this.startFlush();
    }
    if (this.buffer.length > 0) this.armTimer();
    if (this.buffer.length + this.inFlightItems > this.limits.maxPendingItems) await this.chain;
    this.throwIfFailed();
  }

  /** Writes everything buffered and waits until the server has it. */
  async flush(): Promise<void> {
    this.startFlush();
    await this.chain;
    this.throwIfFailed();
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
  }

  get pendingItems(): number {
    return this.buffer.length + this.inFlightItems;
  }

  private startFlush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    this.inFlightItems += batch.length;
    this.chain = this.chain
      .then(() => (this.failure === undefined ? this.flushBatch(batch) : undefined))
      .catch((error: unknown) => void (this.failure ??= error))
      .finally(() => void (this.inFlightItems -= batch.length));
  }

  private armTimer(): void {
    if (!this.timer) this.timer = setTimeout(() => this.startFlush(), this.limits.maxDelayMs);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
