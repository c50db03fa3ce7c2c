import type { Logger } from 'pino';
import type { BuiltMetric } from '@rta/metrics-catalog';
import { Members, startOperationsServer } from '@rta/pipeline';
import { whereToLook } from './banner';
import type { AggregatorConfig } from './config';
import { catalogOf } from './wiring';

/**
 * `--members N` (N > 1): this process forks N members (each an ordinary consumer-group member),
 * serves their health and metrics as one, forwards SIGTERM/SIGINT as one graceful stop each, and
 * exits 1 when a member fails (the others stop gracefully first; a restart resumes every
 * partition from its checkpoint). A member that lost a partition to another (a rebalance raced
 * its checkpoint) is restarted alone: it resumes from the checkpoints like any restart.
 */
export async function runMembers(config: AggregatorConfig, log: Logger): Promise<void> {
  const members = new Members(config.flags.members);
  superviseMembers(members, log);
  await members.started();
  await serveMembers(config, log, members);
}

/** Stops every member gracefully on SIGTERM/SIGINT or, exiting 1, when one exits unexpectedly. */
function superviseMembers(members: Members, log: Logger): void {
  let stopping = false;
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info(
      `${reason}: stopping ${members.count} members (each flushes, checkpoints and leaves the group)`,
    );
    void members.stop().then((worst) => process.exit(Math.max(worst, exitCode)));
  };
  members.onUnexpectedExit((member, code) => {
    log.fatal(
      { member, code },
      'a member exited; stopping the others and exiting so that a restart resumes from the last checkpoints',
    );
    stop(`member ${member} exited`, 1);
  });
  members.onRestart((member) =>
    log.warn(
      { member },
      'a member lost a partition to another member and was restarted; it resumes from the last checkpoints',
    ),
  );
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
}

/**
 * Serves the members' health and metrics as one, then tells where they are and where results go.
 */
async function serveMembers(
  config: AggregatorConfig,
  log: Logger,
  members: Members,
): Promise<void> {
  const operations = await startOperationsServer({
    host: config.flags.httpHost,
    port: config.flags.httpPort,
    registry: members.registry(),
    probes: members.probes(),
    alive: () => members.alive(),
  });
  log.info(
    {
      health: `${operations.url}/health`,
      metrics: `${operations.url}/metrics`,
      members: members.count,
    },
    'aggregating',
  );
  const { game, ecommerce } = catalogOf(config);
  process.stderr.write(
    `${whereToLook(config, operations.url, [...game, ...ecommerce] as BuiltMetric<unknown>[])}\n`,
  );
}
