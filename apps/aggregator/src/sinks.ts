import type { Logger } from 'pino';
import type { BuiltMetric } from '@rta/metrics-catalog';
import type { CheckpointStore, ResultSink, RetryPolicy } from '@rta/sink-core';
import { clientOptionsFromEnv, ElasticsearchSink } from '@rta/sink-elasticsearch';
import { PostgresCheckpointStore, PostgresSink } from '@rta/sink-postgres';
import type { AggregatorConfig } from './config';

interface SinkContext {
  readonly config: AggregatorConfig;
  readonly metrics: readonly BuiltMetric<unknown>[];
  readonly retry: (service: string) => RetryPolicy;
  readonly log: Logger;
}

type OpenSink = (context: SinkContext) => Promise<ResultSink>;

/**
 * Where results go, in this order. A new sink is a lib implementing ResultSink and one line here.
 */
const RESULT_SINKS: readonly OpenSink[] = [openPostgres, openElasticsearch];

export interface OpenedStores {
  readonly sinks: readonly ResultSink[];
  readonly checkpoints: CheckpointStore;
}

/** Opens the checkpoint store and every results sink; on a failure closes what was opened. */
export async function openStores(
  config: AggregatorConfig,
  metrics: readonly BuiltMetric<unknown>[],
  log: Logger,
): Promise<OpenedStores> {
  // Retries last up to 5 minutes (a restart fits): each one is logged, so a missing service does
  // not look like a hang.
  const retry = (service: string): RetryPolicy => ({
    onRetry: (error, attempt, delayMs) =>
      log.warn({ sink: service, code: error.code, attempt, delayMs }, `${error.message}; retrying`),
  });
  const opened: { close(): Promise<void> }[] = [];
  try {
    const checkpoints = await PostgresCheckpointStore.open({
      connection: postgresConnection(config),
      retry: retry('PostgreSQL'),
    });
    opened.push(checkpoints);
    const sinks: ResultSink[] = [];
    for (const open of RESULT_SINKS) {
      const sink = await open({ config, metrics, retry, log });
      opened.push(sink);
      sinks.push(sink);
    }
    return { sinks, checkpoints };
  } catch (error) {
    await Promise.allSettled(opened.map((o) => o.close()));
    throw error;
  }
}

function postgresConnection({ endpoints, credentials }: AggregatorConfig) {
  return {
    connectionString: endpoints.databaseUrl,
    ...(credentials.databaseCa ? { ssl: { ca: credentials.databaseCa } } : {}),
  };
}

async function openPostgres({ config, metrics, retry, log }: SinkContext): Promise<ResultSink> {
  const tables = metrics.flatMap((m) => (m.postgres ? [m.postgres] : []));
  const sink = await PostgresSink.open({
    connection: postgresConnection(config),
    tables,
    retry: retry('PostgreSQL'),
  });
  const changes = sink.schemaChanges; // tables created or extended from the catalog's specs
  if (changes.length > 0) log.info({ changes }, 'PostgreSQL metric tables changed');
  return sink;
}

function openElasticsearch({ config, metrics, retry }: SinkContext): Promise<ResultSink> {
  const indices = metrics.flatMap((m) => (m.elasticsearch ? [m.elasticsearch] : []));
  return ElasticsearchSink.open({
    client: clientOptionsFromEnv(config.endpoints.elasticsearchUrl),
    indices,
    retry: retry('Elasticsearch'),
  });
}
