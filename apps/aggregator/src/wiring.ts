import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AvroSerde } from '@rta/event-schemas';
import { BuiltMetric, ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { Aggregator, AggregatorOptions, aggregatorProbes, ecommerceStream, gameStream, serveAsMember, startOperationsServer, StopOutcome, StreamSpec, Telemetry } from '@rta/pipeline';
import { clientOptionsFromEnv, ElasticsearchSink } from '@rta/sink-elasticsearch';
import type { RetryPolicy } from '@rta/sink-core';
import { PostgresSink } from '@rta/sink-postgres';
import { createStreamClient, ensureTopics } from '@rta/stream-io';
import type { AggregatorConfig } from './config';

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
export async function startAggregator(config: AggregatorConfig, log: Logger, asMember = false): Promise<RunningAggregator> {
  const { flags, endpoints, credentials } = config;
  const kafka = createStreamClient({
    brokers: endpoints.kafkaBrokers, clientId: 'rta-aggregator',
    tls: credentials.kafkaTls, sasl: credentials.kafkaSasl,
  });
  const { game, shop } = catalogOf(config);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spec per stream, each with its own event type
  const streams: StreamSpec<any>[] = [...(game.length ? [gameStream(flags.gameTopic, game)] : []), ...(shop.length ? [ecommerceStream(flags.ecommerceTopic, shop)] : [])];
  const built = [...game, ...shop];
  const topics = [...streams.map((s) => s.topic), flags.deadLetterTopic, flags.lateTopic];
  const report = await ensureTopics(kafka, topics.map((topic) => ({ topic, partitions: flags.partitions, replicationFactor: 1 })));
  if (report.created.length > 0) log.info({ topics: report.created }, 'created missing topics');

  const { postgres, elasticsearch } = await openSinks(config, built, log);
  const telemetry = new Telemetry();
  const aggregator = new Aggregator(
    aggregatorOptions(config, streams, built),
    { kafka, serde: AvroSerde.forUrl(endpoints.schemaRegistryUrl, credentials.registryAuth), postgres, elasticsearch, telemetry, log },
  );
  const probes = aggregatorProbes({ consuming: () => aggregator.consuming, registryUrl: endpoints.schemaRegistryUrl, registryAuth: credentials.registryAuth, postgres: postgres.database, elasticsearch: elasticsearch.client });
  // A member of several answers its primary, which serves one /health and /metrics for all of them.
  if (asMember) serveAsMember(telemetry.registry, probes);
  const operations = asMember ? undefined : await startOperationsServer({
    host: flags.httpHost, port: flags.httpPort, registry: telemetry.registry, probes,
    alive: () => aggregator.state === 'created' || aggregator.state === 'running' || aggregator.state === 'stopping',
  });
  await aggregator.start();
  return {
    aggregator, telemetry, operationsUrl: operations?.url, metrics: built as BuiltMetric<unknown>[],
    stop: async (timeoutMs) => {
      try {
        return await aggregator.stop(timeoutMs);
      } finally {
        await Promise.allSettled([...(operations ? [closeServer(operations.server)] : []), postgres.close(), elasticsearch.close()]);
      }
    },
  };
}

/** The configured metrics of each stream. */
export function catalogOf(config: AggregatorConfig): { game: ReturnType<typeof gameMetrics>; shop: ReturnType<typeof ecommerceMetrics> } {
  const selected = <E>(m: BuiltMetric<E>) => config.metrics?.has(m.metric.name) ?? true;
  return {
    game: config.streams.includes('game') ? gameMetrics(config.gameOverrides).filter(selected) : [],
    shop: config.streams.includes('ecommerce') ? ecommerceMetrics(config.ecommerceOverrides).filter(selected) : [],
  };
}

type Built = ReturnType<typeof gameMetrics>[number] | ReturnType<typeof ecommerceMetrics>[number];

async function openSinks(config: AggregatorConfig, built: readonly Built[], log: Logger): Promise<{ postgres: PostgresSink; elasticsearch: ElasticsearchSink }> {
  const { endpoints, credentials } = config;
  // Retries last up to 5 minutes (a restart fits): each one is logged, so a missing service does not look like a hang.
  const retry = (sink: string): RetryPolicy => ({ onRetry: (error, attempt, delayMs) => log.warn({ sink, code: error.code, attempt, delayMs }, `${error.message}; retrying`) });
  const postgres = await PostgresSink.open({
    connection: { connectionString: endpoints.databaseUrl, ...(credentials.databaseCa ? { ssl: { ca: credentials.databaseCa } } : {}) },
    tables: built.flatMap((m) => (m.postgres ? [m.postgres] : [])),
    retry: retry('PostgreSQL'),
  });
  try {
    const elasticsearch = await ElasticsearchSink.open({
      client: clientOptionsFromEnv(endpoints.elasticsearchUrl), indices: built.flatMap((m) => (m.elasticsearch ? [m.elasticsearch] : [])), retry: retry('Elasticsearch'),
    });
    return { postgres, elasticsearch };
  } catch (error) {
    await postgres.close();
    throw error;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one spec per stream, each with its own event type
function aggregatorOptions(config: AggregatorConfig, streams: StreamSpec<any>[], built: readonly Built[]): AggregatorOptions {
  const { flags } = config;
  return {
    groupId: flags.groupId, streams, deadLetterTopic: flags.deadLetterTopic, lateTopic: flags.lateTopic,
    flushIntervalMs: flags.flushInterval, checkpointIntervalMs: flags.checkpointInterval, sessionTimeoutMs: flags.sessionTimeout,
    processor: {
      dedupeHorizonMs: flags.dedupeHorizon === 'off' ? undefined : flags.dedupeHorizon,
      idleTimeoutMs: flags.idleTimeout, maxEventAgeMs: flags.maxEventAge, maxEventFutureMs: flags.maxEventFuture,
    },
    postgresMetrics: new Set(built.filter((m) => m.postgres).map((m) => m.metric.name)),
    elasticsearchMetrics: new Set(built.filter((m) => m.elasticsearch).map((m) => m.metric.name)),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
