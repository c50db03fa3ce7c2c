import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { AvroSerde, EventSchemaError } from '@rta/event-schemas';
import { ServiceConfigError } from '@rta/service-config';
import { PipelineError, ProducerTelemetry, startOperationsServer } from '@rta/pipeline';
import type { RunStats } from '@rta/simulation';
import { createStreamClient, ensureTopics, StreamIoError, type StreamClient } from '@rta/stream-io';
import { buildCli } from './cli';
import { buildConfig, ConfigError, SimulatorConfig } from './config';
import { DumpError, DumpFile } from './dump';
import { Progress } from './progress';
import { simulate, topicOf, type Wiring } from './simulate';

async function main(): Promise<void> {
  const cli = buildCli().parse();
  const config = buildConfig(cli.opts(), Date.now(), randomInt(2 ** 31));
  announce(config);
  const { kafkaTls, kafkaSasl, registryAuth } = config.credentials;
  const kafka = createStreamClient({
    brokers: config.brokers,
    clientId: 'rta-simulator',
    tls: kafkaTls,
    sasl: kafkaSasl,
  });
  await createMissingTopics(kafka, config);

  const controller = stopOnSignals();
  const progress = new Progress(config.options.quiet === true);
  const dumps = new Map(config.scenarios.map((name) => [name, dumpFileFor(config, name)]));
  const telemetry = new ProducerTelemetry();
  const operations = await serveMetrics(config, telemetry);
  const wiring = {
    kafka,
    serde: AvroSerde.forUrl(config.registryUrl, registryAuth),
    progress,
    signal: controller.signal,
    telemetry,
  };
  progress.start();
  // If one scenario fails, the other stops too; both settle before the dump files close.
  const outcomes = await runScenarios(config, wiring, dumps, controller);
  progress.stop();
  operations.server.close();
  await Promise.all([...dumps.values()].map((d) => d?.close()));
  logOutcomes(outcomes);
}

async function createMissingTopics(kafka: StreamClient, config: SimulatorConfig): Promise<void> {
  const { partitions, replicationFactor } = config.options;
  const report = await ensureTopics(
    kafka,
    config.scenarios.map((s) => ({ topic: topicOf(config, s), partitions, replicationFactor })),
  );
  if (report.created.length > 0)
    log(`created topics ${report.created.join(', ')} (${partitions} partitions)`);
}

/** /metrics for Prometheus: what was produced, how fast, what failed. */
async function serveMetrics(
  config: SimulatorConfig,
  telemetry: ProducerTelemetry,
): Promise<{ readonly server: Server }> {
  const operations = await startOperationsServer({
    host: config.options.httpHost,
    port: config.options.httpPort,
    registry: telemetry.registry,
    probes: [],
    alive: () => true,
  });
  log(`metrics at ${operations.url}/metrics`);
  return operations;
}

type ScenarioName = SimulatorConfig['scenarios'][number];

interface ScenarioStats extends RunStats {
  readonly name: ScenarioName;
}

/** Every scenario at once, each to its own dump file; the first failure aborts the others. */
function runScenarios(
  config: SimulatorConfig,
  wiring: Omit<Wiring, 'dump'>,
  dumps: ReadonlyMap<ScenarioName, DumpFile | undefined>,
  controller: AbortController,
): Promise<PromiseSettledResult<ScenarioStats>[]> {
  return Promise.allSettled(
    config.scenarios.map((name) =>
      simulate(config, name, { ...wiring, dump: dumps.get(name) }).then(
        (stats) => ({ name, ...stats }),
        (error: unknown) => {
          controller.abort();
          throw error;
        },
      ),
    ),
  );
}

/** One line per scenario, or the first failure (thrown). */
function logOutcomes(outcomes: readonly PromiseSettledResult<ScenarioStats>[]): void {
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') throw outcome.reason;
    const r = outcome.value;
    log(
      `${r.name}: ${r.messages} messages (${r.events} events, ${r.duplicates} duplicates, ${r.malformed} malformed) in ${(r.elapsedMs / 1000).toFixed(1)}s`,
    );
  }
}

/**
 * One dump file per scenario: the two run concurrently, so one shared file would interleave
 * them differently on every run. With both scenarios, `out.jsonl` becomes `out.game.jsonl` and
 * `out.ecommerce.jsonl`.
 */
function dumpFileFor(config: SimulatorConfig, name: string): DumpFile | undefined {
  const path = config.options.dump;
  if (!path) return undefined;
  if (config.scenarios.length === 1) return new DumpFile(path);
  const dot = path.lastIndexOf('.');
  return new DumpFile(
    dot > path.lastIndexOf('/')
      ? `${path.slice(0, dot)}.${name}${path.slice(dot)}`
      : `${path}.${name}`,
  );
}

function announce(config: SimulatorConfig): void {
  const o = config.options;
  const rate = o.rate === 'max' ? `max (event time at ${o.eventRate}/s)` : `${o.rate}/s`;
  const count = o.count === undefined ? 'until stopped' : `${o.count} messages each`;
  log(
    `${config.scenarios.join(' + ')} at ${rate}, ${count}; seed ${config.seed}, start ${new Date(config.startTimeMs).toISOString()}`,
  );
}

/** First SIGINT/SIGTERM: stop producing, flush, exit cleanly. Second: exit at once. */
function stopOnSignals(): AbortController {
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) process.exit(130);
    log(`${signal}: finishing the current batch and flushing (again to force)`);
    controller.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return controller;
}

function log(message: string): void {
  process.stderr.write(`[simulator] ${message}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof ServiceConfigError;
    const typed =
      known ||
      error instanceof EventSchemaError ||
      error instanceof StreamIoError ||
      error instanceof DumpError ||
      error instanceof PipelineError;
    log(`error: ${typed ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
    const serviceProblem =
      error instanceof StreamIoError || (error instanceof EventSchemaError && error.retriable);
    if (serviceProblem)
      log(
        'Are the services up? `npx nx run infra:up` starts them; `npx nx run infra:status` shows them; KAFKA_BROKERS and SCHEMA_REGISTRY_URL say where they are.',
      );
    process.exit(known ? 2 : 1);
  },
);
