import { Command, Option } from 'commander';
import { flag as opt, withUsageErrors } from '@rta/service-config';

/** The command line: flags with their env twins and defaults. Validation lives in config.ts. */
export function buildCli(): Command {
  const command = withUsageErrors(new Command('aggregator')).description(
    'Consumes the game and e-commerce topics in a consumer group, computes every catalog metric in event-time ' +
      'windows and writes exact results to PostgreSQL and Elasticsearch (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, ' +
      'DATABASE_URL, ELASTICSEARCH_URL; credentials: KAFKA_SASL_*, KAFKA_TLS*, SCHEMA_REGISTRY_USERNAME/PASSWORD, ' +
      'ELASTICSEARCH_API_KEY or _USERNAME/_PASSWORD, *_CA_FILE). SIGTERM/SIGINT flush, checkpoint and exit 0. Exit codes: 0 stopped, 1 a failure (a restart resumes from the last checkpoint), 2 bad options or env.',
  );
  // --help lists the flags in the order they are added: keep the groups in this order.
  const options = [
    ...kafkaOptions(),
    ...durabilityOptions(),
    ...eventTimeOptions(),
    ...groupTimeoutOptions(),
    ...metricOptions(),
    ...serviceOptions(),
  ];
  for (const option of options) command.addOption(option);
  return command;
}

/** What is consumed, in which consumer group, from and to which topics. */
function kafkaOptions(): Option[] {
  return [
    opt(
      '--streams <list>',
      'which streams to aggregate: game, ecommerce or both',
      'AGGREGATOR_STREAMS',
      'both',
    ),
    opt(
      '--group-id <id>',
      'Kafka consumer group (instances with the same id share the partitions)',
      'AGGREGATOR_GROUP_ID',
      'rta-aggregator',
    ),
    opt('--game-topic <name>', 'game topic', 'GAME_TOPIC', 'game-events'),
    opt('--ecommerce-topic <name>', 'e-commerce topic', 'ECOMMERCE_TOPIC', 'ecommerce-events'),
    opt(
      '--dead-letter-topic <name>',
      'where undecodable and invalid records go',
      'DEAD_LETTER_TOPIC',
      'rta-dead-letters',
    ),
    opt(
      '--late-topic <name>',
      'where events too late for a window go (they still count where on time)',
      'LATE_EVENTS_TOPIC',
      'rta-late-events',
    ),
    opt(
      '--partitions <n>',
      'partitions of topics the aggregator creates when missing',
      'TOPIC_PARTITIONS',
      '6',
    ),
  ];
}

/** How often results, then state and offsets, become durable. */
function durabilityOptions(): Option[] {
  return [
    opt(
      '--flush-interval <duration>',
      'how often results become durable (freshness; under load flushes grow instead)',
      'AGGREGATOR_FLUSH_INTERVAL',
      '250ms',
    ),
    opt(
      '--checkpoint-interval <duration>',
      'how often state + offsets are checkpointed (the most a restart replays; each costs time in proportion to the state)',
      'AGGREGATOR_CHECKPOINT_INTERVAL',
      '30s',
    ),
  ];
}

/** Event-time handling: duplicates, idle partitions, and which event times are valid at all. */
function eventTimeOptions(): Option[] {
  return [
    opt(
      '--dedupe-horizon <duration|off>',
      'drop repeated event ids within this much event time (memory: ids/s × horizon)',
      'AGGREGATOR_DEDUPE_HORIZON',
      '10m',
    ),
    opt(
      '--idle-timeout <duration>',
      'a silent partition stops holding the watermark after this long',
      'AGGREGATOR_IDLE_TIMEOUT',
      '60s',
    ),
    opt(
      '--max-event-age <duration>',
      'validation: events older than this (vs now) are dead-lettered',
      'AGGREGATOR_MAX_EVENT_AGE',
      '7d',
    ),
    opt(
      '--max-event-future <duration>',
      'validation: events ahead of now by more than this are dead-lettered',
      'AGGREGATOR_MAX_EVENT_FUTURE',
      '5m',
    ),
  ];
}

/** How long the group waits for a silent member, and how long a graceful stop may take. */
function groupTimeoutOptions(): Option[] {
  return [
    opt(
      '--session-timeout <duration>',
      'how long the group waits for a silent instance before moving its partitions',
      'AGGREGATOR_SESSION_TIMEOUT',
      '30s',
    ),
    opt(
      '--shutdown-timeout <duration>',
      'the most a graceful stop may take',
      'AGGREGATOR_SHUTDOWN_TIMEOUT',
      '30s',
    ),
  ];
}

/** Which catalog metrics are computed, with what settings, and whose saved state is dropped. */
function metricOptions(): Option[] {
  return [
    new Option(
      '--metric <name.setting=value...>',
      'per-metric overrides, repeatable (comma-separated in the env); settings: window (tumbling:1m, hopping:5m/1m, session:30m), watermark-delay, allowed-lateness, emit (update|final)',
    )
      .env('AGGREGATOR_METRIC_OVERRIDES')
      .argParser(commaList),
    new Option(
      '--metrics <names>',
      'compute only these catalog metrics, comma-separated (default: all of the chosen --streams; a stream left without one is not consumed)',
    )
      .env('AGGREGATOR_METRICS')
      .argParser(commaList),
    new Option(
      '--reset-state <names>',
      'metrics whose saved state is set aside at this start, comma-separated: each starts over at the checkpoint and reports only windows that start after it (use once, after a definition change the saved state cannot follow)',
    )
      .env('AGGREGATOR_RESET_STATE')
      .argParser(commaList),
  ];
}

/** The processes this command runs, where they answer /health and /metrics, and how they log. */
function serviceOptions(): Option[] {
  return [
    opt(
      '--members <n|auto>',
      'consumer-group members this command runs, one process each (auto: one per core); each owns a share of the partitions',
      'AGGREGATOR_MEMBERS',
      '1',
    ),
    opt(
      '--http-host <host>',
      'address of /health and /metrics',
      'AGGREGATOR_HTTP_HOST',
      '127.0.0.1',
    ),
    opt(
      '--http-port <port>',
      'port of /health and /metrics (0: any free port)',
      'AGGREGATOR_HTTP_PORT',
      '9464',
    ),
    new Option('--log-level <level>', 'log level')
      .env('LOG_LEVEL')
      .choices(['debug', 'info', 'warn', 'error'])
      .default('info'),
  ];
}

/** A repeatable flag whose values (and env twin) are comma-separated. */
function commaList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
