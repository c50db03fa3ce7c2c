import type { LogEntry } from 'kafkajs';

/**
 * kafkajs' own JSON lines, one per entry on stderr, without the stack traces: a broker that is
 * down logs an error per retry, and a stack each made the one line that matters hard to find.
 */
export function writeLogLine({ namespace, label, log }: LogEntry): void {
  const { stack: _stack, ...rest } = log as LogEntry['log'] & { stack?: unknown };
  const message = `${namespace ? `[${namespace}] ` : ''}${log.message}`;
  process.stderr.write(
    `${JSON.stringify({ level: label, logger: 'kafkajs', ...rest, message })}\n`,
  );
}
