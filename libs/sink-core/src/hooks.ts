import type { SinkError } from './errors';

/** Observability hooks: wire them to metrics (rows written, latency, retries, rejections). */
export interface SinkHooks<T> {
  /** A batch is durable: how many items and how long the write took. */
  readonly onWritten?: (items: number, latencyMs: number) => void;
  readonly onRetry?: (error: SinkError, attempt: number, delayMs: number) => void;
  /**
   * One item the server refuses for good (value out of range, mapping conflict, null key). The
   * rest of its batch is written; route this one to a dead-letter topic. Called once, after the
   * rest is durable, and awaited. Without a hook the error is thrown and nothing is written.
   */
  readonly onRejected?: (item: T, error: SinkError) => void | Promise<void>;
}
