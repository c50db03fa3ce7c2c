import { RetriesExhaustedError, SinkError } from './errors';

export interface RetryPolicy {
  /** Give up after this long (default 5 minutes: a server restart fits, an outage does not). */
  readonly maxElapsedMs?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onRetry?: (error: SinkError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `work` until it succeeds, retrying retriable SinkErrors with exponential backoff and full
 * jitter (AWS's "full jitter": a random delay up to the current cap, so many writers do not retry
 * in step). Permanent errors are thrown at once ("bail"); so is anything that is not a SinkError.
 */
export async function withRetry<T>(work: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const { maxElapsedMs = 300_000, initialDelayMs = 100, maxDelayMs = 10_000 } = policy;
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof SinkError) || !error.retriable) throw error;
      const elapsed = Date.now() - started;
      if (elapsed >= maxElapsedMs) throw new RetriesExhaustedError(error, attempt, elapsed);
      const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(Math.random() * cap);
      policy.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
