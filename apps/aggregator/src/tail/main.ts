import { ServiceConfigError } from '@rta/service-config';
import { buildTailCli } from './cli';
import { buildTailConfig, TailConfigError } from './config';
import { Tail } from './tail';

/** The most a disconnect may take after a signal (a broker that went away would hang it). */
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = buildTailConfig(buildTailCli().parse().opts());
  const tail = new Tail(config, { event: (line) => process.stdout.write(`${line}\n`), notice });
  stopOnSignals(tail);
  // `tail | head -3`: the reader went away; stop quietly instead of dying on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    void tail.stop();
  });
  // Under nx a Ctrl-C ends nx at once, and with it the reader of our stderr: the disconnect must
  // still finish.
  process.stderr.on('error', () => undefined);
  await tail.run();
  // Exit only once the last lines are written out: a pipe may still hold them.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  notice(`[tail] stopped after ${tail.printed} events`);
}

/**
 * First SIGINT/SIGTERM: leave the group and disconnect. A second one forces the exit — unless it
 * comes within a second, which is the same Ctrl-C relayed by a wrapper (nx, the tsx CLI) rather
 * than a person insisting.
 */
function stopOnSignals(tail: Tail): void {
  let firstAt: number | undefined;
  const stop = (signal: string) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt > 1_000) process.exit(130);
      return;
    }
    firstAt = Date.now();
    notice(`[tail] ${signal}: leaving the group and disconnecting (again to force)`);
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    void tail.stop();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function notice(line: string): void {
  process.stderr.write(`${line}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const configProblem = error instanceof TailConfigError || error instanceof ServiceConfigError;
    const err = error as Error & { code?: string };
    notice(`tail: ${err.message}${err.code && !configProblem ? ` [${err.code}]` : ''}`);
    if (!configProblem)
      notice(
        'Are the services up? `npx nx run infra:up` starts them; `npx nx run infra:status` shows them.',
      );
    process.exit(configProblem ? 2 : 1);
  },
);
