/** Every error this lib throws. `code` is stable: branch on it, never on the message. */
export class ServiceConfigError extends Error {
  readonly code = 'SERVICE_CONFIG_INVALID';
  readonly retriable = false;

  constructor(
    /** One line per wrong variable: name, what was wrong, what is expected. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid service configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ServiceConfigError';
  }
}
