/** Base of every error the engine reports. `code` is stable: branch on it, never on the message. */
export class WindowingError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidDurationError extends WindowingError {
  constructor(readonly input: unknown) {
    super(
      `Invalid duration ${JSON.stringify(input)}: use a non-negative integer of milliseconds or ` +
        `a string like '500ms', '30s', '1m', '2h', '1d'`,
      'INVALID_DURATION',
    );
  }
}

/**
 * A metric definition that cannot work (thrown when the metric is defined, never while running).
 */
export class InvalidMetricError extends WindowingError {
  constructor(metric: string, problem: string) {
    super(`metric ${metric}: ${problem}`, 'INVALID_METRIC');
  }
}

export type EventErrorCode =
  'INVALID_EVENT_TIME' | 'INVALID_VALUE' | 'INVALID_KEY' | 'SELECTOR_FAILED';

/** Why one event could not be counted by one metric. Returned as an output, never thrown. */
export class EventError extends WindowingError {
  constructor(
    override readonly code: EventErrorCode,
    readonly metric: string,
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${metric}: ${field} ${message}`, code, options);
  }
}

/** A snapshot this engine cannot restore (wrong version, other metrics). */
export class SnapshotError extends WindowingError {
  constructor(message: string) {
    super(message, 'INVALID_SNAPSHOT');
  }
}

/**
 * Saved state of a metric that does not fit its current definition (another window, an
 * aggregate whose state has another format): converting it would give wrong results.
 */
export class StateLayoutError extends WindowingError {
  constructor(
    readonly metric: string,
    problem: string,
  ) {
    super(
      `metric ${metric}: ${problem}; its saved state cannot be converted. Restore the previous ` +
        `definition, give the changed part a new name, or reset this metric's state (it then ` +
        `starts over at the checkpoint and reports only windows that start after it)`,
      'STATE_LAYOUT_CHANGED',
    );
  }
}
