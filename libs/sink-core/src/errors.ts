/**
 * Every sink error: `code` to branch on, `retriable` (try again later: server down, overloaded)
 * versus permanent (fix the data or the config), and the metric and value it concerns.
 */
export class SinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    readonly details: {
      readonly metric?: string;
      readonly value?: unknown;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = new.target.name;
  }
}

/** Raised when retries ran out: the last retriable error, and how long we tried. */
export class RetriesExhaustedError extends SinkError {
  constructor(last: SinkError, attempts: number, elapsedMs: number) {
    super(
      'RETRIES_EXHAUSTED',
      `gave up after ${attempts} attempts over ${Math.round(elapsedMs / 1000)}s: ${last.message}`,
      false,
      {
        metric: last.details.metric,
        cause: last,
      },
    );
  }
}
