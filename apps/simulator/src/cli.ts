import { Command, Option } from 'commander';
import { flag as opt, withUsageErrors } from '@rta/service-config';

/** The command line: flags with their env twins and defaults. Validation lives in config.ts. */

export function buildCli(): Command {
  const command = new Command('simulator')
    .description(
      'Produces simulated game telemetry and e-commerce events, Avro-encoded through the schema registry, ' +
        'to Kafka (KAFKA_BROKERS, SCHEMA_REGISTRY_URL). Runs until stopped (Ctrl-C flushes and exits) or --count. ' +
        'Exit codes: 0 done, 1 a failure, 2 bad options or env.',
    )
    .addOption(opt('--scenario <name>', 'game, ecommerce or both', 'SIMULATOR_SCENARIO', 'both'))
    .addOption(
      opt(
        '--rate <n|max>',
        'events per second per scenario, or max (as fast as Kafka acks)',
        'SIMULATOR_RATE',
        '100',
      ),
    )
    .addOption(
      opt(
        '--event-rate <n>',
        'with --rate max: events per second of event time',
        undefined,
        '1000',
      ),
    )
    .addOption(
      opt(
        '--count <n>',
        'produce exactly n messages per scenario, then exit (default: until stopped)',
        'SIMULATOR_COUNT',
      ),
    )
    .addOption(
      opt(
        '--seed <n>',
        'fixes every random draw; with --start-time the output is identical byte for byte (default: random, printed at start)',
        'SIMULATOR_SEED',
      ),
    )
    .addOption(
      opt(
        '--start-time <time>',
        'event time of the first event (ISO-8601 or epoch ms; default now)',
      ),
    )
    .addOption(opt('--players <n>', 'game: number of players', 'SIMULATOR_PLAYERS', '1000'))
    .addOption(
      opt('--customers <n>', 'e-commerce: number of customers', 'SIMULATOR_CUSTOMERS', '5000'),
    )
    .addOption(opt('--products <n>', 'e-commerce: catalog size', undefined, '200'))
    .addOption(
      opt(
        '--partitions <n>',
        'partitions of topics the simulator creates',
        'SIMULATOR_PARTITIONS',
        '6',
      ),
    )
    .addOption(
      opt(
        '--replication-factor <n>',
        'replication of topics the simulator creates',
        undefined,
        '1',
      ),
    )
    .addOption(opt('--game-topic <name>', 'game topic', 'GAME_TOPIC', 'game-events'))
    .addOption(
      opt('--ecommerce-topic <name>', 'e-commerce topic', 'ECOMMERCE_TOPIC', 'ecommerce-events'),
    )
    .addOption(
      opt(
        '--burst-every <duration>',
        'bursts (off unless all three are given): one every duration of event time (e.g. 60s)',
      ),
    )
    .addOption(opt('--burst-duration <duration>', 'bursts: how long each lasts (e.g. 5s)'))
    .addOption(opt('--burst-factor <x>', 'bursts: rate multiplier (e.g. 5)'))
    .addOption(opt('--batch-size <n>', 'messages per produce request', undefined, '1000'))
    .addOption(
      opt(
        '--dump <file>',
        'write every produced message as a JSON line, for independent recomputation (both scenarios: out.jsonl becomes out.game.jsonl and out.ecommerce.jsonl)',
      ),
    )
    .addOption(opt('--quiet', 'no progress lines on stderr'))
    .addOption(opt('--http-host <host>', 'address of /metrics', 'SIMULATOR_HTTP_HOST', '127.0.0.1'))
    .addOption(
      opt(
        '--http-port <port>',
        'port of /metrics for Prometheus (0: any free port)',
        'SIMULATOR_HTTP_PORT',
        '9465',
      ),
    );
  return withUsageErrors(withChaosOptions(command));
}

/** The chaos knobs (off by default): disorder, lateness, duplicates, malformed messages. */
function withChaosOptions(command: Command): Command {
  return command
    .addOption(
      opt(
        '--out-of-order-ratio <r>',
        'chaos: fraction of events stamped earlier than neighbours',
        undefined,
        '0',
      ),
    )
    .addOption(
      opt(
        '--out-of-order-max-delay <duration>',
        'chaos: largest out-of-order delay',
        undefined,
        '30s',
      ),
    )
    .addOption(
      opt(
        '--late-ratio <r>',
        'chaos: fraction of events stamped past the watermark',
        undefined,
        '0',
      ),
    )
    .addOption(
      opt('--late-delay <duration>', 'chaos: how late (plus up to 50% jitter)', undefined, '15m'),
    )
    .addOption(
      new Option('--delay-distribution <kind>', 'chaos: delay distribution')
        .choices(['uniform', 'exponential'])
        .default('uniform'),
    )
    .addOption(
      opt(
        '--duplicate-ratio <r>',
        'chaos: fraction of events sent twice (same event_id)',
        undefined,
        '0',
      ),
    )
    .addOption(
      opt(
        '--malformed-ratio <r>',
        'chaos: fraction of extra malformed messages (dead-letter tests)',
        undefined,
        '0',
      ),
    );
}
