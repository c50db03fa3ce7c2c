import { Command, Option } from 'commander';
import { flag as opt, withUsageErrors } from '@rta/service-config';

/** The command line: flags with their env twins and defaults. Validation lives in config.ts. */
export function buildCli(): Command {
  const command = new Command('simulator').description(
    'Produces simulated game telemetry and e-commerce events, Avro-encoded through the schema registry, ' +
      'to Kafka (KAFKA_BROKERS, SCHEMA_REGISTRY_URL). Runs until stopped (Ctrl-C flushes and exits) or --count. ' +
      'Exit codes: 0 done, 1 a failure, 2 bad options or env.',
  );
  // --help lists the flags in the order they are added: keep the groups in this order.
  const options = [
    ...runOptions(),
    ...populationOptions(),
    ...topicOptions(),
    ...burstOptions(),
    ...outputOptions(),
    ...metricsServerOptions(),
    ...chaosOptions(),
  ];
  for (const option of options) command.addOption(option);
  return withUsageErrors(command);
}

/** Which scenarios run, how fast and for how long, and what makes a run reproducible. */
function runOptions(): Option[] {
  return [
    opt('--scenario <name>', 'game, ecommerce or both', 'SIMULATOR_SCENARIO', 'both'),
    opt(
      '--rate <n|max>',
      'events per second per scenario, or max (as fast as Kafka acks)',
      'SIMULATOR_RATE',
      '100',
    ),
    opt('--event-rate <n>', 'with --rate max: events per second of event time', undefined, '1000'),
    opt(
      '--count <n>',
      'produce exactly n messages per scenario, then exit (default: until stopped)',
      'SIMULATOR_COUNT',
    ),
    opt(
      '--seed <n>',
      'fixes every random draw; with --start-time the output is identical byte for byte (default: random, printed at start)',
      'SIMULATOR_SEED',
    ),
    opt('--start-time <time>', 'event time of the first event (ISO-8601 or epoch ms; default now)'),
  ];
}

/** How many players, customers and products the scenarios simulate. */
function populationOptions(): Option[] {
  return [
    opt('--players <n>', 'game: number of players', 'SIMULATOR_PLAYERS', '1000'),
    opt('--customers <n>', 'e-commerce: number of customers', 'SIMULATOR_CUSTOMERS', '5000'),
    opt('--products <n>', 'e-commerce: catalog size', undefined, '200'),
  ];
}

/** The topics produced to, and how topics the simulator creates are laid out. */
function topicOptions(): Option[] {
  return [
    opt(
      '--partitions <n>',
      'partitions of topics the simulator creates',
      'SIMULATOR_PARTITIONS',
      '6',
    ),
    opt('--replication-factor <n>', 'replication of topics the simulator creates', undefined, '1'),
    opt('--game-topic <name>', 'game topic', 'GAME_TOPIC', 'game-events'),
    opt('--ecommerce-topic <name>', 'e-commerce topic', 'ECOMMERCE_TOPIC', 'ecommerce-events'),
  ];
}

/** Periodic bursts of a higher rate (in event time). */
function burstOptions(): Option[] {
  return [
    opt(
      '--burst-every <duration>',
      'bursts (off unless all three are given): one every duration of event time (e.g. 60s)',
    ),
    opt('--burst-duration <duration>', 'bursts: how long each lasts (e.g. 5s)'),
    opt('--burst-factor <x>', 'bursts: rate multiplier (e.g. 5)'),
  ];
}

/** How messages are sent, and what is written alongside them. */
function outputOptions(): Option[] {
  return [
    opt('--batch-size <n>', 'messages per produce request', undefined, '1000'),
    opt(
      '--dump <file>',
      'write every produced message as a JSON line, for independent recomputation (both scenarios: out.jsonl becomes out.game.jsonl and out.ecommerce.jsonl)',
    ),
    opt('--quiet', 'no progress lines on stderr'),
  ];
}

/** Where Prometheus scrapes the simulator's /metrics. */
function metricsServerOptions(): Option[] {
  return [
    opt('--http-host <host>', 'address of /metrics', 'SIMULATOR_HTTP_HOST', '127.0.0.1'),
    opt(
      '--http-port <port>',
      'port of /metrics for Prometheus (0: any free port)',
      'SIMULATOR_HTTP_PORT',
      '9465',
    ),
  ];
}

/** The chaos knobs (off by default): disorder, lateness, duplicates, malformed messages. */
function chaosOptions(): Option[] {
  return [
    opt(
      '--out-of-order-ratio <r>',
      'chaos: fraction of events stamped earlier than neighbours',
      undefined,
      '0',
    ),
    opt(
      '--out-of-order-max-delay <duration>',
      'chaos: largest out-of-order delay',
      undefined,
      '30s',
    ),
    opt('--late-ratio <r>', 'chaos: fraction of events stamped past the watermark', undefined, '0'),
    opt('--late-delay <duration>', 'chaos: how late (plus up to 50% jitter)', undefined, '15m'),
    new Option('--delay-distribution <kind>', 'chaos: delay distribution')
      .choices(['uniform', 'exponential'])
      .default('uniform'),
    opt(
      '--duplicate-ratio <r>',
      'chaos: fraction of events sent twice (same event_id)',
      undefined,
      '0',
    ),
    opt(
      '--malformed-ratio <r>',
      'chaos: fraction of extra malformed messages (dead-letter tests)',
      undefined,
      '0',
    ),
  ];
}
