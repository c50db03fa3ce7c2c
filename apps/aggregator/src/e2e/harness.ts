import { readFileSync } from 'node:fs';
import { App, operationsUrlOf, startApp, until } from '@rta/app-processes';
import { loadServiceEndpoints } from '@rta/service-config';
import { createStreamClient, type SourceRecord } from '@rta/stream-io';
import { readRecords } from '@rta/stream-io/testing';
import type { DumpLine } from './oracle';

export const endpoints = loadServiceEndpoints();

/**
 * Shorter windows and delays than the seeds' defaults, so that a run of a few minutes of event
 * time closes most windows (finals) and still has late events, sessions that merge, and live tails.
 */
export const TEST_METRICS = [
  ...[
    'game_events_per_region',
    'game_live_event_count',
    'game_revenue_per_region',
    'game_players_per_region',
    'category_purchases',
    'customer_activity',
    'event_counts',
    'user_activity',
    'purchase_metrics',
    'session_metrics',
    'device_stats',
    'product_views',
    'category_activity',
    'category_revenue',
    'customer_sessions',
    'category_funnel',
  ].map((m) => `${m}.watermark-delay=20s`),
  'user_activity.window=hopping:1m/20s',
  'session_metrics.window=session:30s',
  'customer_sessions.window=session:30s',
  'purchase_metrics.window=tumbling:1m',
  'device_stats.window=tumbling:1m',
  'category_funnel.window=tumbling:1m',
  'category_purchases.allowed-lateness=10s',
  // live session rows (final-only by default) keep the merge-and-retract path under test
  'session_metrics.emit=update',
  'customer_sessions.emit=update',
];

export interface Scenario {
  readonly id: string;
  readonly gameTopic: string;
  readonly ecommerceTopic: string;
  readonly group: string;
  readonly startMs: number;
  readonly partitions: number;
  /** AGGREGATOR_METRIC_OVERRIDES, for the aggregator and the recomputation alike. */
  readonly metrics: readonly string[];
  /**
   * AGGREGATOR_METRICS (`--metrics`): the only metrics computed; every other one must store
   * nothing.
   */
  readonly only?: readonly string[];
}

/**
 * A fresh scenario: own topics and group, and an event-time hour of its own (the sink tables are
 * shared).
 */
export function scenario(name: string, metrics: readonly string[] = TEST_METRICS): Scenario {
  const id = `${name}-${Date.now().toString(36)}`;
  const hour = 3_600_000;
  const startMs = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 24 * 365 * 20) * hour;
  return {
    id,
    gameTopic: `e2e-${id}-game`,
    ecommerceTopic: `e2e-${id}-ecommerce`,
    group: `e2e-${id}`,
    startMs,
    partitions: 6,
    metrics,
  };
}

export type Proc = App;

export function simulator(s: Scenario, dump: string, args: readonly string[]): Proc {
  return startApp('simulator', [
    '--quiet',
    '--http-port',
    '0',
    '--seed',
    '7',
    '--start-time',
    String(s.startMs),
    '--partitions',
    String(s.partitions),
    '--game-topic',
    s.gameTopic,
    '--ecommerce-topic',
    s.ecommerceTopic,
    '--players',
    '300',
    '--customers',
    '400',
    '--out-of-order-ratio',
    '0.2',
    '--out-of-order-max-delay',
    '15s',
    '--late-ratio',
    '0.02',
    '--late-delay',
    '60s',
    '--duplicate-ratio',
    '0.02',
    '--malformed-ratio',
    '0.01',
    '--dump',
    dump,
    ...args,
  ]);
}

/**
 * Frequent flushes and checkpoints, so that kills land between them. `nodeArgs`: e.g. `--cpu-prof`.
 */
export function aggregator(
  s: Scenario,
  options: { readonly nodeArgs?: readonly string[]; readonly args?: readonly string[] } = {},
): Proc {
  return startApp(
    'aggregator',
    [
      '--http-port',
      '0',
      '--session-timeout',
      '6s',
      '--idle-timeout',
      '30m',
      '--max-event-age',
      '100000d',
      '--max-event-future',
      '100000d',
      ...(options.args ?? ['--flush-interval', '250ms', '--checkpoint-interval', '1s']),
    ],
    {
      nodeArgs: options.nodeArgs,
      env: {
        GAME_TOPIC: s.gameTopic,
        ECOMMERCE_TOPIC: s.ecommerceTopic,
        AGGREGATOR_GROUP_ID: s.group,
        DEAD_LETTER_TOPIC: `e2e-${s.id}-dead`,
        LATE_EVENTS_TOPIC: `e2e-${s.id}-late`,
        AGGREGATOR_METRIC_OVERRIDES: s.metrics.join(','),
        LOG_LEVEL: 'info',
        ...(s.only ? { AGGREGATOR_METRICS: s.only.join(',') } : {}),
      },
    },
  );
}

/**
 * Waits until the instance has committed a checkpoint (its /metrics says so): a kill after it has
 * state to restore.
 */
export async function checkpointed(p: Proc): Promise<void> {
  const base = operationsUrlOf(p);
  await until(
    'a first checkpoint',
    async () => {
      const text = await fetch(`${base}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      return Number(/^rta_checkpoints_total (\d+)/m.exec(text)?.[1] ?? 0) > 0 ? true : undefined;
    },
    60_000,
  );
}

/** Waits for the log line that says the instance is consuming. */
export async function consuming(p: Proc): Promise<void> {
  await until(
    'the aggregator to start',
    () => (/"msg":"aggregating"/.test(p.output()) || p.child.exitCode !== null ? true : undefined),
    60_000,
  ).catch(() => undefined);
  if (!/"msg":"aggregating"/.test(p.output()))
    throw new Error(`the aggregator did not start:\n${p.output().slice(-3_000)}`);
}

export function readDump<E>(file: string): DumpLine<E>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DumpLine<E>);
}

/**
 * Every record of `topic` with its headers as strings: waits for `atLeast`, then a moment for any
 * extra.
 */
export async function readTopic(topic: string, atLeast: number): Promise<SourceRecord[]> {
  const brokers = endpoints.kafkaBrokers;
  const kafka = createStreamClient({ brokers, clientId: 'aggregator-e2e', logLevel: 'silent' });
  return readRecords(kafka, topic, { atLeast, settleMs: 1_000 });
}
