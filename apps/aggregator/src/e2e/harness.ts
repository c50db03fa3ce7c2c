import { readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { Pool } from 'pg';
import {
  EcommerceEvent,
  GameEvent,
  validateEcommerceEvent,
  validateGameEvent,
} from '@rta/event-schemas';
import { BuiltMetric, ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { indexFor } from '@rta/sink-elasticsearch';
import { App, operationsUrlOf, startApp, until } from '@rta/app-processes';
import { loadServiceEndpoints } from '@rta/service-config';
import { createStreamClient, type SourceRecord } from '@rta/stream-io';
import { readRecords } from '@rta/stream-io/testing';
import { parseMetricOverrides } from '../metric-overrides';
import { DumpLine, eventsByPartition, recompute } from './oracle';
import {
  differences,
  expectedInElasticsearch,
  expectedInPostgres,
  storedInElasticsearch,
  storedInPostgres,
} from './stored';

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
  readonly shopTopic: string;
  readonly group: string;
  readonly startMs: number;
  readonly partitions: number;
  /** AGGREGATOR_METRIC_OVERRIDES, for the aggregator and the recomputation alike. */
  readonly metrics: readonly string[];
  /** AGGREGATOR_METRICS (`--metrics`): the only metrics computed; every other one must store nothing. */
  readonly only?: readonly string[];
}

/** A fresh scenario: own topics and group, and an event-time hour of its own (the sink tables are shared). */
export function scenario(name: string, metrics: readonly string[] = TEST_METRICS): Scenario {
  const id = `${name}-${Date.now().toString(36)}`;
  const hour = 3_600_000;
  const startMs = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 24 * 365 * 20) * hour;
  return {
    id,
    gameTopic: `e2e-${id}-game`,
    shopTopic: `e2e-${id}-shop`,
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
    s.shopTopic,
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

/** Frequent flushes and checkpoints, so that kills land between them. `nodeArgs`: e.g. `--cpu-prof`. */
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
        ECOMMERCE_TOPIC: s.shopTopic,
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

/** Waits until the instance has committed a checkpoint (its /metrics says so): a kill after it has state to restore. */
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

function pick(s: Scenario, names: Set<string>) {
  return Object.fromEntries(
    Object.entries(parseMetricOverrides(s.metrics).overrides).filter(([n]) => names.has(n)),
  );
}

/** Everything the sinks must hold for this scenario, per metric and sink, against what they hold. */
export class Verifier {
  private readonly pool = new Pool({ connectionString: endpoints.databaseUrl, max: 2 });
  private readonly es = new Client({ node: endpoints.elasticsearchUrl });
  /** Daily indices this scenario's days wrote: deleted at close, or test runs pile up shards (ES allows 1,000 a node). */
  private readonly indices = new Set<string>();
  private readonly checks: {
    name: string;
    expected: ReturnType<typeof expectedInPostgres>;
    read: () => ReturnType<typeof storedInPostgres>;
  }[] = [];

  constructor(s: Scenario, gameDump: string, shopDump: string) {
    const game = gameMetrics(pick(s, new Set(gameMetrics().map((m) => m.metric.name))));
    const shop = ecommerceMetrics(pick(s, new Set(ecommerceMetrics().map((m) => m.metric.name))));
    const policy = { nowMs: s.startMs, maxAgeMs: Infinity, maxFutureMs: Infinity };
    this.add(
      s,
      game,
      eventsByPartition(
        readDump<GameEvent>(gameDump),
        s.partitions,
        (e) => validateGameEvent(e, policy).length === 0,
      ),
    );
    this.add(
      s,
      shop,
      eventsByPartition(
        readDump<EcommerceEvent>(shopDump),
        s.partitions,
        (e) => validateEcommerceEvent(e, policy).length === 0,
      ),
    );
  }

  private add<E>(s: Scenario, metrics: readonly BuiltMetric<E>[], partitions: E[][]): void {
    const [from, to] = [s.startMs - 3_600_000, s.startMs + 6 * 3_600_000];
    for (const m of metrics) {
      const rows = !s.only || s.only.includes(m.metric.name) ? recompute(m.metric, partitions) : []; // not computed: nothing stored
      const { postgres, elasticsearch } = m;
      if (postgres)
        this.checks.push({
          name: `postgres ${postgres.table}`,
          expected: expectedInPostgres(postgres, rows),
          read: () => storedInPostgres(this.pool, postgres, from, to),
        });
      for (let day = from; day < to + 86_400_000; day += 86_400_000)
        if (elasticsearch?.daily) this.indices.add(indexFor(elasticsearch, day));
      if (elasticsearch)
        this.checks.push({
          name: `elasticsearch ${elasticsearch.index}`,
          expected: expectedInElasticsearch(elasticsearch, rows),
          read: () => storedInElasticsearch(this.es, elasticsearch, from, to),
        });
    }
  }

  get expectedRows(): number {
    return this.checks.reduce((n, c) => n + c.expected.size, 0);
  }

  get finalRows(): number {
    return this.checks.reduce(
      (n, c) => n + [...c.expected.values()].filter((r) => r.final).length,
      0,
    );
  }

  /** Differences per sink table/index; empty when every row equals the recomputation. */
  async differences(): Promise<string[]> {
    const out: string[] = [];
    for (const check of this.checks)
      for (const d of differences(check.expected, await check.read()))
        out.push(`${check.name}: ${d}`);
    return out;
  }

  /** Polls until the sinks hold exactly the recomputation, or returns the last differences. */
  async converge(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const diff = await this.differences();
      if (diff.length === 0 || Date.now() > deadline) return diff;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  async close(): Promise<void> {
    if (this.indices.size > 0)
      await this.es.indices.delete({ index: [...this.indices], ignore_unavailable: true });
    await Promise.all([this.pool.end(), this.es.close()]);
  }
}

/** Every record of `topic` with its headers as strings: waits for `atLeast`, then a moment for any extra. */
export async function readTopic(topic: string, atLeast: number): Promise<SourceRecord[]> {
  const brokers = endpoints.kafkaBrokers;
  const kafka = createStreamClient({ brokers, clientId: 'aggregator-e2e', logLevel: 'silent' });
  return readRecords(kafka, topic, { atLeast, settleMs: 1_000 });
}
