import cluster from 'node:cluster';
import { pino } from 'pino';
import {
  announceStarted,
  EXIT_OWNERSHIP_LOST,
  exitWithPrimary,
  isOwnershipLost,
} from '@rta/pipeline';
import { ServiceConfigError, describeCredentials, redact } from '@rta/service-config';
import { whereToLook } from './banner';
import { buildCli } from './cli';
import { AggregatorConfig, buildConfig, ConfigError } from './config';
import { runMembers } from './primary';
import { logProgress } from './progress';
import { AloneMember } from './rejoin';
import { RunningAggregator, startAggregator } from './wiring';

async function main(): Promise<void> {
  if (cluster.isWorker) exitWithPrimary();
  const config = buildConfig(buildCli().parse().opts());
  const member = cluster.isWorker ? Number(process.env['RTA_MEMBER']) : undefined;
  const log = pino(
    {
      level: config.flags.logLevel,
      base: { service: 'aggregator', pid: process.pid, ...(member ? { member } : {}) },
    },
    pino.destination(2),
  );
  const e = config.endpoints;
  if (!member)
    log.info(
      {
        kafka: e.kafkaBrokers,
        registry: e.schemaRegistryUrl,
        postgres: redact(e.databaseUrl),
        elasticsearch: e.elasticsearchUrl,
        security: describeCredentials(config.credentials),
        streams: config.streams,
        group: config.flags.groupId,
        members: config.flags.members,
      },
      'starting',
    );
  if (cluster.isPrimary && config.flags.members > 1) return runMembers(config, log);
  await runMember(config, log, member !== undefined);
}

/**
 * One consumer-group member: alone (it rejoins by itself when its partitions move under it), or
 * one of `--members` (then its primary serves /health, takes the signals and restarts it).
 */
async function runMember(
  config: AggregatorConfig,
  log: pino.Logger,
  forked: boolean,
): Promise<void> {
  const current = forked ? await forkedMember(config, log) : await aloneMember(config, log);
  const progress = logProgress(() => current().telemetry, log);
  const stop = gracefulStop(config, log, current, progress);
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A terminal's Ctrl-C reaches every process of the group: a member waits for its primary's
  // SIGTERM.
  process.on('SIGINT', () => (forked ? undefined : stop('SIGINT')));
}

async function aloneMember(config: AggregatorConfig, log: pino.Logger) {
  const member = await AloneMember.start(config, log);
  announceAggregating(config, log, member.current);
  return () => member.current;
}

async function forkedMember(config: AggregatorConfig, log: pino.Logger) {
  const running = await startAggregator(config, log, true);
  running.aggregator.onFailure((error) => {
    // No flush and no checkpoint after a failure: the next owner resumes from the last checkpoint.
    log.fatal({ err: error }, 'aggregator failed; exiting so that its primary restarts it');
    process.exit(isOwnershipLost(error) ? EXIT_OWNERSHIP_LOST : 1);
  });
  announceStarted();
  return () => running;
}

/** Tells a member running alone where its /health and /metrics are, and where results go. */
function announceAggregating(
  config: AggregatorConfig,
  log: pino.Logger,
  running: RunningAggregator,
): void {
  log.info(
    { health: `${running.operationsUrl}/health`, metrics: `${running.operationsUrl}/metrics` },
    'aggregating',
  );
  process.stderr.write(
    `${whereToLook(config, running.operationsUrl as string, running.metrics)}\n`,
  );
}

/**
 * The first signal flushes, checkpoints, leaves the group and exits (0, also when the partitions
 * had moved to another member; 1 when that stop fails); a second one exits 1 at once, without a
 * final checkpoint.
 */
function gracefulStop(
  config: AggregatorConfig,
  log: pino.Logger,
  current: () => RunningAggregator,
  progress: NodeJS.Timeout,
): (signal: string) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) {
      log.warn(`second ${signal}: exiting without a final checkpoint`);
      process.exit(1);
    }
    stopping = true;
    clearInterval(progress);
    log.info(`${signal}: flushing, checkpointing and leaving the group`);
    current()
      .stop(config.flags.shutdownTimeout)
      .then(
        (outcome) => {
          // Fenced is not a failure of the stop: nothing was lost, the partitions' new owner replays
          // from the last checkpoint.
          if (outcome.kind === 'fenced')
            log.warn(
              { err: outcome.refusal },
              'stopped; the final checkpoint was refused (another member owns a partition now and resumes from the previous checkpoint)',
            );
          else log.info('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          // Partitions moved under it before the signal (it was rejoining): like a fenced final
          // checkpoint, nothing is lost, their new owner resumes from the last checkpoint.
          if (isOwnershipLost(error)) {
            log.warn({ err: error }, 'stopped; its partitions had moved to another member');
            process.exit(0);
          }
          log.error({ err: error }, 'graceful stop failed');
          process.exit(1);
        },
      );
  };
}

main().catch((error: unknown) => {
  const configProblem = error instanceof ConfigError || error instanceof ServiceConfigError;
  const err = error as Error & { code?: string };
  process.stderr.write(
    `aggregator: ${err.message}${err.code && !configProblem ? ` [${err.code}]` : ''}\n`,
  );
  if (!configProblem && err.code !== 'PORT_IN_USE')
    process.stderr.write(
      'Are the services up? `npx nx run infra:up` starts them; `npx nx run infra:status` shows them.\n',
    );
  process.exit(configProblem ? 2 : 1);
});
