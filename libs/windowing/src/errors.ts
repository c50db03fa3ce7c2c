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
