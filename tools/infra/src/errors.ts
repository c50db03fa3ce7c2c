/** Stable codes: scripts and tests branch on these, never on messages. */
export type InfraErrorCode =
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'ARTIFACT_UNAVAILABLE'
  | 'BINARIES_MISSING'
  | 'PORT_IN_USE'
  | 'HEALTH_TIMEOUT'
  | 'SERVICE_EXITED'
  | 'SETUP_FAILED'
  | 'NOT_READABLE_BY_SERVICE_USER'
  | 'DOCKER_MISSING'
  | 'UNKNOWN_SERVICE'
  | 'LAUNCHER_BUSY';

export interface InfraErrorDetails {
  /** What the user should do about it, as a command or a concrete step. */
  readonly hint: string;
  /** The last lines of the service's (or tool's) log, when they explain the failure. */
  readonly logTail?: string;
  readonly logFile?: string;
  readonly cause?: unknown;
}

/** Every failure of the launcher: what failed, what to do, and the evidence. */
export class InfraError extends Error {
  readonly retriable = false;
  readonly hint: string;
  readonly logTail?: string;
  readonly logFile?: string;

  constructor(
    readonly code: InfraErrorCode,
    readonly service: string,
    message: string,
    details: InfraErrorDetails,
  ) {
    super(`${service}: ${message}`, { cause: details.cause });
    this.name = 'InfraError';
    this.hint = details.hint;
    this.logTail = details.logTail;
    this.logFile = details.logFile;
  }

  /** The multi-line report printed by the CLI. */
  report(): string {
    const lines = [`✗ ${this.message}`, `  → ${this.hint}`];
    if (this.logTail) {
      lines.push(`  last lines of ${this.logFile ?? 'the log'}:`);
      lines.push(...this.logTail.split('\n').map((l) => `    ${l}`));
    }
    return lines.join('\n');
  }
}
