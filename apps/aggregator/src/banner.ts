import type { BuiltMetric } from '@rta/metrics-catalog';
import { redact } from '@rta/service-config';
import type { AggregatorConfig } from './config';

/** Where to look at the results, for people (the JSON log lines are for machines). */
export function whereToLook(
  config: AggregatorConfig,
  operationsUrl: string,
  metrics: readonly BuiltMetric<unknown>[],
): string {
  const tables = metrics.flatMap((m) => (m.postgres ? [m.postgres.table] : []));
  const indices = [
    ...new Set(
      metrics.flatMap((m) =>
        m.elasticsearch ? [`${m.elasticsearch.index}${m.elasticsearch.daily ? '-*' : ''}`] : [],
      ),
    ),
  ];
  const e = config.endpoints;
  return [
    '',
    'Results (live, updated every flush; finals once a window closes):',
    `  PostgreSQL     ${redact(e.databaseUrl)}`,
    `                 views: ${tables.join(', ')}`,
    `                 e.g. SELECT * FROM game_events_per_region ORDER BY window_start DESC LIMIT 20;`,
    `  Elasticsearch  ${e.elasticsearchUrl}/${indices[0] ?? ''}/_search`,
    `                 indices: ${indices.join(', ')}`,
    '  Dashboard      http://127.0.0.1:8090 (`nx run dashboard:serve`; `npm start` runs it)',
    `  Health         ${operationsUrl}/health`,
    `  Prometheus     ${operationsUrl}/metrics`,
    `  Dead letters   Kafka topic ${config.flags.deadLetterTopic}; late events: ${config.flags.lateTopic}`,
    '',
  ].join('\n');
}
