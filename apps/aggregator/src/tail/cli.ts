import { Command, Option } from 'commander';
import { flag as opt, withUsageErrors } from '@rta/service-config';

/** The tail's command line. Validation lives in config.ts, as for the aggregator. */
export function buildTailCli(): Command {
  const command = withUsageErrors(new Command('tail')).description(
    'Prints the events of a topic as they arrive, one readable line each: event time (UTC), who, what happened. ' +
      'Game and e-commerce topics alike, decoded through the schema registry (the writer schema tells which stream). ' +
      'Reads in a consumer group of its own (rta-tail-<random>) and commits nothing, so the aggregator and other tails are not affected. ' +
      'Undecodable messages print "! partition@offset: reason" on stderr and the tail goes on; events go to stdout. ' +
      'Env: KAFKA_BROKERS, SCHEMA_REGISTRY_URL; credentials KAFKA_SASL_*, KAFKA_TLS*, SCHEMA_REGISTRY_USERNAME/PASSWORD. ' +
      'Exit codes: 0 stopped (Ctrl-C, SIGTERM or --max), 1 a failure, 2 bad options or env.',
  );
  // --help lists the flags in the order they are added.
  for (const option of [...selectionOptions(), ...outputOptions()]) command.addOption(option);
  return command;
}

/** Which events are printed: the topic, the event types and keys, and where reading starts. */
function selectionOptions(): Option[] {
  return [
    opt(
      '--topic <name>',
      'topic to tail (game-events, ecommerce-events, or any topic holding either)',
      undefined,
      'game-events',
    ),
    new Option(
      '--type <event_type,...>',
      'only these event types, comma-separated or repeated (e.g. player_move,item_purchase)',
    ).argParser(commaList),
    new Option(
      '--key <id,...>',
      'only these players or customers (player_id / customer_id), comma-separated or repeated',
    ).argParser(commaList),
    opt(
      '--from-beginning',
      'start at the oldest retained event (default: only events that arrive after the tail starts)',
    ),
  ];
}

/** How many events are printed, and in which form. */
function outputOptions(): Option[] {
  return [
    opt('--max <n>', 'exit after printing n events (for scripts and tests)'),
    opt(
      '--json',
      'print each event as one JSON object per line (the decoded record) instead of a sentence',
    ),
  ];
}

/** A repeatable flag whose values are comma-separated. */
function commaList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
