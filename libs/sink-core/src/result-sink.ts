import type { Retraction, WindowResult } from '@rta/windowing';

export type SinkItem = WindowResult | Retraction;

/**
 * Where results go: PostgreSQL, Elasticsearch, or your own (a new lib implementing this, plus one
 * line where the app builds its sinks). Writes are idempotent by the rule in snapshot-rank.ts, so
 * the pipeline may replay any of them after a crash.
 */
export interface ResultSink {
  /** Short and stable: the telemetry label and the readiness probe's name. */
  readonly name: string;
  /** Whether this sink stores the metric's results (others are not handed to it). */
  stores(metric: string): boolean;
  /** Buffers results and retractions; resolves once accepted (waits when too much is pending). */
  write(items: readonly SinkItem[]): Promise<void>;
  /** Resolves once everything written so far is durable; rejects after a failed write. */
  flush(): Promise<void>;
  /** Resolves when the service answers (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}
