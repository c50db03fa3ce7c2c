import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AvroSerde } from '@rta/event-schemas';
import { BuiltMetric, ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import {
  Aggregator,
  AggregatorOptions,
  aggregatorProbes,
  ecommerceStream,
  gameStream,
  serveAsMember,
  startOperationsServer,
  StopOutcome,
  Telemetry,
} from '@rta/pipeline';
import { createStreamClient, ensureTopics, type StreamClient } from '@rta/stream-io';
import type { AggregatorConfig } from './config';
import { type OpenedStores, openStores } from './sinks';

export interface RunningAggregator {
  readonly aggregator: Aggregator;
  /** Undefined in a member: its primary serves /health and /metrics. */
  readonly operationsUrl: string | undefined;
  readonly telemetry: Telemetry;
  /** The metrics it computes, with where each is stored. */
  readonly metrics: readonly BuiltMetric<unknown>[];
  /** Stops gracefully (flush, checkpoint, commit, leave the group), then closes every client. */
  readonly stop: (timeoutMs: number) => Promise<StopOutcome>;
}

/**
 * Connects to every service, prepares topics, tables and index templates, then starts consuming.
 */
export async function startAggregator(
  config: AggregatorConfig,
  log: Logger,
  asMember = false,
): Promise<RunningAggregator> {
  const { endpoints, credentials } = config;
  const kafka = kafkaClientOf(config);
  const { streams, metrics } = streamsToConsume(config);
  await ensureStreamTopics(kafka, config, streams, log);
  const stores = await openStores(config, metrics, log);
  const telemetry = new Telemetry();
  const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl, credentials.registryAuth);
  const aggregator = new Aggregator(aggregatorOptions(config, streams), {
    kafka,
    serde,
    sinks: stores.sinks,
    checkpoints: stores.checkpoints,
    telemetry,
    log,
  });
  const operations = await serveOperations(config, aggregator, telemetry, stores, asMember);
  await aggregator.start();
  return {
    aggregator,
    telemetry,
    operationsUrl: operations?.url,
    metrics,
    stop: stopThenClose(aggregator, operations, stores),
  };
}

function kafkaClientOf(config: AggregatorConfig): StreamClient {
  const { endpoints, credentials } = config;
  return createStreamClient({
    brokers: endpoints.kafkaBrokers,
    clientId: 'rta-aggregator',
    tls: credentials.kafkaTls,
    sasl: credentials.kafkaSasl,
  });
}

/** One stream spec per stream that keeps a configured metric, and all those metrics. */
function streamsToConsume(config: AggregatorConfig): {
  streams: AggregatorOptions['streams'];
  metrics: readonly BuiltMetric<unknown>[];
} {
  const { flags } = config;
  const { game, ecommerce } = catalogOf(config);
  const streams = [
    ...(game.length ? [gameStream(flags.gameTopic, game)] : []),
    ...(ecommerce.length ? [ecommerceStream(flags.ecommerceTopic, ecommerce)] : []),
  ];
  return { streams, metrics: [...game, ...ecommerce] as BuiltMetric<unknown>[] };
}

/** Creates the consumed, dead-letter and late topics that are missing. */
async function ensureStreamTopics(
  kafka: StreamClient,
  config: AggregatorConfig,
  streams: AggregatorOptions['streams'],
  log: Logger,
): Promise<void> {
  const { flags } = config;
  const topics = [...streams.map((s) => s.topic), flags.deadLetterTopic, flags.lateTopic];
  const report = await ensureTopics(
    kafka,
    topics.map((topic) => ({ topic, partitions: flags.partitions, replicationFactor: 1 })),
  );
  if (report.created.length > 0) log.info({ topics: report.created }, 'created missing topics');
}

interface OperationsServer {
  readonly server: Server;
  readonly url: string;
}

/** Health probes and metrics: served here, or (undefined) answered to the primary by a member. */
async function serveOperations(
  config: AggregatorConfig,
  aggregator: Aggregator,
  telemetry: Telemetry,
  { sinks, checkpoints }: OpenedStores,
  asMember: boolean,
): Promise<OperationsServer | undefined> {
  const { flags, endpoints, credentials } = config;
  const registry = {
    registryUrl: endpoints.schemaRegistryUrl,
    registryAuth: credentials.registryAuth,
  };
  const probes = aggregatorProbes({
    consuming: () => aggregator.consuming,
    ...registry,
    sinks,
    checkpoints,
  });
  // A member of several answers its primary, which serves one /health and /metrics for all of them.
  if (asMember) serveAsMember(telemetry.registry, probes);
  return asMember
    ? undefined
    : await startOperationsServer({
        host: flags.httpHost,
        port: flags.httpPort,
        registry: telemetry.registry,
        probes,
        alive: () =>
          aggregator.state === 'created' ||
          aggregator.state === 'running' ||
          aggregator.state === 'stopping',
      });
}

/** A graceful stop that closes the operations server and every store, however the stop ends. */
function stopThenClose(
  aggregator: Aggregator,
  operations: OperationsServer | undefined,
  { sinks, checkpoints }: OpenedStores,
): RunningAggregator['stop'] {
  return async (timeoutMs) => {
    try {
      return await aggregator.stop(timeoutMs);
    } finally {
      const server = operations ? [closeServer(operations.server)] : [];
      await Promise.allSettled([
        ...server,
        ...sinks.map((sink) => sink.close()),
        checkpoints.close(),
      ]);
    }
  };
}

/** The configured metrics of each stream. */
export function catalogOf(config: AggregatorConfig): {
  game: ReturnType<typeof gameMetrics>;
  ecommerce: ReturnType<typeof ecommerceMetrics>;
} {
  const selected = <E>(m: BuiltMetric<E>) => config.metrics?.has(m.metric.name) ?? true;
  return {
    game: config.streams.includes('game') ? gameMetrics(config.gameOverrides).filter(selected) : [],
    ecommerce: config.streams.includes('ecommerce')
      ? ecommerceMetrics(config.ecommerceOverrides).filter(selected)
      : [],
  };
}

function aggregatorOptions(
  config: AggregatorConfig,
  streams: AggregatorOptions['streams'],
): AggregatorOptions {
  const { flags } = config;
  return {
    groupId: flags.groupId,
    streams,
    deadLetterTopic: flags.deadLetterTopic,
    lateTopic: flags.lateTopic,
    flushIntervalMs: flags.flushInterval,
    checkpointIntervalMs: flags.checkpointInterval,
    sessionTimeoutMs: flags.sessionTimeout,
    processor: {
      dedupeHorizonMs: flags.dedupeHorizon === 'off' ? undefined : flags.dedupeHorizon,
      idleTimeoutMs: flags.idleTimeout,
      maxEventAgeMs: flags.maxEventAge,
      maxEventFutureMs: flags.maxEventFuture,
      resetMetrics: config.resetState,
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
