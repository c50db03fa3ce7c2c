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
  StreamSpec,
  Telemetry,
} from '@rta/pipeline';
import { createStreamClient, ensureTopics } from '@rta/stream-io';
import type { AggregatorConfig } from './config';
import { openStores } from './sinks';

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

/** Connects to every service, prepares topics, tables and index templates, then starts consuming. */
export async function startAggregator(
  config: AggregatorConfig,
  log: Logger,
  asMember = false,
): Promise<RunningAggregator> {
  const { flags, endpoints, credentials } = config;
  const kafka = createStreamClient({
    brokers: endpoints.kafkaBrokers,
    clientId: 'rta-aggregator',
    tls: credentials.kafkaTls,
    sasl: credentials.kafkaSasl,
  });
  const { game, shop } = catalogOf(config);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spec per stream, each with its own event type
  const streams: StreamSpec<any>[] = [
    ...(game.length ? [gameStream(flags.gameTopic, game)] : []),
    ...(shop.length ? [ecommerceStream(flags.ecommerceTopic, shop)] : []),
  ];
  const built = [...game, ...shop];
  const topics = [...streams.map((s) => s.topic), flags.deadLetterTopic, flags.lateTopic];
  const report = await ensureTopics(
    kafka,
    topics.map((topic) => ({ topic, partitions: flags.partitions, replicationFactor: 1 })),
  );
  if (report.created.length > 0) log.info({ topics: report.created }, 'created missing topics');

  const { sinks, checkpoints } = await openStores(config, built as BuiltMetric<unknown>[], log);
  const telemetry = new Telemetry();
  const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl, credentials.registryAuth);
  const aggregator = new Aggregator(aggregatorOptions(config, streams), {
    kafka,
    serde,
    sinks,
    checkpoints,
    telemetry,
    log,
  });
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
  const operations = asMember
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
  await aggregator.start();
  return {
    aggregator,
    telemetry,
    operationsUrl: operations?.url,
    metrics: built as BuiltMetric<unknown>[],
    stop: async (timeoutMs) => {
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
    },
  };
}

/** The configured metrics of each stream. */
export function catalogOf(config: AggregatorConfig): {
  game: ReturnType<typeof gameMetrics>;
  shop: ReturnType<typeof ecommerceMetrics>;
} {
  const selected = <E>(m: BuiltMetric<E>) => config.metrics?.has(m.metric.name) ?? true;
  return {
    game: config.streams.includes('game') ? gameMetrics(config.gameOverrides).filter(selected) : [],
    shop: config.streams.includes('ecommerce')
      ? ecommerceMetrics(config.ecommerceOverrides).filter(selected)
      : [],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spec per stream, each with its own event type
function aggregatorOptions(
  config: AggregatorConfig,
  streams: StreamSpec<any>[],
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
