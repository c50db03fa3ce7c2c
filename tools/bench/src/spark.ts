import { rmSync } from 'node:fs';
import { ECOMMERCE_STREAM, GAME_STREAM } from '@rta/event-schemas';
import { ECOMMERCE_CATALOG, GAME_CATALOG } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import { createStreamClient } from '@rta/stream-io';
import { produceBacklog } from './pipeline';
import { report } from './report';
import {
  Agreement,
  compareWithAggregator,
  databaseUrlFor,
  jdbcFor,
  resetSchemas,
  SEED_TABLES,
  SPARK_SCHEMA,
} from './spark-db';
import { aggregatorDrain, DrainRow, kafkajsDrain, sparkDrain } from './spark-drain';
import { RUNS_DIR, SHUFFLE_PARTITIONS, SparkJobSpec } from './spark-job';
import { aggregatorLive, FreshnessRow, sparkLive } from './spark-live';
import {
  measurements,
  perCoreRatios,
  SPARK_BENCHMARK,
  SparkContext,
  sparkSection,
} from './spark-report';
import { ensureSpark, SPARK_VERSION, SparkInstall } from './spark-setup';

/**
 * PySpark Structured Streaming running the seeds' queries beside the aggregator, on the same
 * topics and backlog, in one run (tools/bench/spark/seed_queries.py):
 *   (a) the kafkajs ceiling, (b) Spark: seed 004's 3 queries on the e-commerce topic, (c) the
 *   aggregator with the same 3 metrics (--metrics), (d) Spark: seeds 000 + 004, all 4 queries over
 *   both topics, (e) the aggregator's full catalog, one member; then freshness at LIVE_RATE.
 *   npx nx run bench:spark   (COUNT=1000000 per scenario, EVENT_RATE=5000 events/s of event time per
 *                             scenario in the backlog, LIVE_RATE=10000 total for LIVE_SECONDS=60,
 *                             SKIP_LIVE=1 leaves freshness out, KEEP_TOPICS=1 keeps this run's topics,
 *                             AGGREGATOR_METRICS=product_views,...;
 *                             SPARK_SHUFFLE_PARTITIONS=6, SPARK_MASTER=local[*], SPARK_DRIVER_MEMORY=2g,
 *                             SPARK_MAX_OFFSETS_PER_TRIGGER=0 (no limit), JAVA_HOME, PYTHON)
 * Installs PySpark (venv) and the jars (Maven) under .bench/spark on first use.
 */
const COUNT = Number(process.env['COUNT'] ?? 1_000_000);
const EVENT_RATE = Number(process.env['EVENT_RATE'] ?? 5_000);
const LIVE_RATE = Number(process.env['LIVE_RATE'] ?? 10_000);
const LIVE_SECONDS = Number(process.env['LIVE_SECONDS'] ?? 60);
const AGGREGATOR_METRICS =
  process.env['AGGREGATOR_METRICS'] ?? 'product_views,category_activity,category_revenue';
// The aggregator reads AGGREGATOR_METRICS itself: (c) gets it as --metrics, the full-catalog runs
// must not inherit it.
delete process.env['AGGREGATOR_METRICS'];
const PARTITIONS = 6;
const CATALOG_SIZE = ECOMMERCE_CATALOG.length + GAME_CATALOG.length;
const AGGREGATOR_SCHEMAS = {
  seed004: 'rta_bench_spark_agg_seed004',
  full: 'rta_bench_spark_agg_full',
} as const;

const log = (line: string) => process.stderr.write(`\n== ${line}\n`);
const n = (value: number) => value.toLocaleString('en-US');

interface Topics {
  readonly id: string;
  readonly env: Record<string, string>;
  readonly game: string;
  readonly shop: string;
}

function freshTopics(): Topics {
  const id = `bench-spark-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const env = {
    GAME_TOPIC: `${id}-game`,
    ECOMMERCE_TOPIC: `${id}-shop`,
    DEAD_LETTER_TOPIC: `${id}-dead`,
    LATE_EVENTS_TOPIC: `${id}-late`,
    TOPIC_PARTITIONS: String(PARTITIONS),
  };
  return { id, env, game: env.GAME_TOPIC, shop: env.ECOMMERCE_TOPIC };
}

const sparkSpec = (t: Topics, run: string, withGame: boolean): SparkJobSpec => ({
  runId: `${t.id}-${run}`,
  ecommerceTopic: t.shop,
  ...(withGame ? { gameTopic: t.game } : {}),
  trigger: 'available-now',
  jdbc: jdbcFor(SPARK_SCHEMA),
});

const rowsPer = (tables: readonly { table: string }[]) =>
  new Map(tables.map((t) => [t.table, COUNT]));

const aggregatorEnv = (t: Topics, run: keyof typeof AGGREGATOR_SCHEMAS) => ({
  ...t.env,
  AGGREGATOR_GROUP_ID: `${t.id}-${run}`,
  DATABASE_URL: databaseUrlFor(AGGREGATOR_SCHEMAS[run]),
});

/** Seed 004's 3 tables, the first of SEED_TABLES: what (b) and (c) write and are compared on. */
const SEED004_TABLES = SEED_TABLES.slice(0, 3);

/** (a)–(e) over one backlog, then Spark's rows checked against the aggregator's. */
async function drains(
  install: SparkInstall,
  t: Topics,
): Promise<{ rows: DrainRow[]; agreement: Agreement[] }> {
  const rows = [
    ...(await kafkajsCeilings(t)),
    ...(await seed004Drains(install, t)),
    ...(await allSeedsDrains(install, t)),
  ];
  const agreement = [
    ...(await compareWithAggregator(`${t.id}-b`, AGGREGATOR_SCHEMAS.seed004, SEED004_TABLES)),
    ...(await compareWithAggregator(`${t.id}-d`, AGGREGATOR_SCHEMAS.full, SEED_TABLES)),
  ];
  for (const a of agreement) process.stderr.write(`${JSON.stringify(a)}\n`);
  return { rows, agreement };
}

/** One drain under its heading; its row is logged as soon as it is measured. */
async function step(label: string, work: () => Promise<DrainRow>): Promise<DrainRow> {
  log(label);
  const row = await work();
  process.stderr.write(`${JSON.stringify(row)}\n`);
  return row;
}

/** (a): a plain kafkajs consumer that only decodes, on the e-commerce topic and on both. */
async function kafkajsCeilings(t: Topics): Promise<DrainRow[]> {
  const ecommerce = await step('(a) kafkajs ceiling: e-commerce topic', () =>
    kafkajsDrain(
      '(a) kafkajs ceiling, decode only: e-commerce topic',
      { [t.shop]: ECOMMERCE_STREAM.readerType },
      COUNT,
    ),
  );
  const both = await step('(a) kafkajs ceiling: both topics', () =>
    kafkajsDrain(
      '(a) kafkajs ceiling, decode only: both topics',
      { [t.shop]: ECOMMERCE_STREAM.readerType, [t.game]: GAME_STREAM.readerType },
      2 * COUNT,
    ),
  );
  return [ecommerce, both];
}

/** How many topics the aggregator consumes for AGGREGATOR_METRICS (game, e-commerce or both). */
function topicsOfAggregatorMetrics(): number {
  return new Set(
    AGGREGATOR_METRICS.split(',').map((name) =>
      GAME_CATALOG.some((e) => e.spec.name === name.trim()) ? 'game' : 'ecommerce',
    ),
  ).size;
}

/** (b) Spark's seed 004, (c) the aggregator with the same metrics. */
async function seed004Drains(install: SparkInstall, t: Topics): Promise<DrainRow[]> {
  const spark = await step("(b) Spark: seed 004's 3 queries", () =>
    sparkDrain(
      install,
      "(b) Spark: seed 004's 3 queries, e-commerce topic",
      sparkSpec(t, 'b', false),
      COUNT,
      rowsPer(SEED004_TABLES),
    ),
  );
  const streams = topicsOfAggregatorMetrics();
  const aggregator = await step('(c) aggregator: the same 3 metrics', () =>
    aggregatorDrain(
      `(c) aggregator --metrics ${AGGREGATOR_METRICS}`,
      aggregatorEnv(t, 'seed004'),
      streams * COUNT,
      streams * PARTITIONS,
      ['--metrics', AGGREGATOR_METRICS],
    ),
  );
  return [spark, aggregator];
}

/** (d) Spark's seeds 000 + 004 over both topics, (e) the aggregator's full catalog. */
async function allSeedsDrains(install: SparkInstall, t: Topics): Promise<DrainRow[]> {
  const spark = await step('(d) Spark: all 4 seed queries', () =>
    sparkDrain(
      install,
      '(d) Spark: seeds 000 + 004, 4 queries, both topics',
      sparkSpec(t, 'd', true),
      2 * COUNT,
      rowsPer(SEED_TABLES),
    ),
  );
  const aggregator = await step('(e) aggregator: full catalog', () =>
    aggregatorDrain(
      `(e) aggregator: full catalog (${CATALOG_SIZE} metrics), both topics`,
      aggregatorEnv(t, 'full'),
      2 * COUNT,
      2 * PARTITIONS,
    ),
  );
  return [spark, aggregator];
}

async function freshness(install: SparkInstall, t: Topics): Promise<FreshnessRow[]> {
  if (process.env['SKIP_LIVE'] === '1') return [];
  log(`freshness: Spark at ${n(LIVE_RATE)} events/s`);
  const spark = await sparkLive(install, `${t.id}-live`, LIVE_RATE, LIVE_SECONDS);
  log(`freshness: the aggregator at ${n(LIVE_RATE)} events/s`);
  return [...spark, await aggregatorLive(LIVE_RATE, LIVE_SECONDS)];
}

/** Deletes this run's topics (backlog, live, dead letters), unless KEEP_TOPICS=1. */
async function deleteTopics(t: Topics): Promise<void> {
  if (process.env['KEEP_TOPICS'] === '1') return;
  const brokers = loadServiceEndpoints().kafkaBrokers;
  const admin = createStreamClient({ brokers, clientId: 'bench-spark' }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(`${t.id}-`));
    if (mine.length > 0) await admin.deleteTopics(mine);
  } finally {
    await admin.disconnect();
  }
}

async function measureAll(install: SparkInstall, topics: Topics): Promise<SparkContext> {
  log(
    `producing the backlog: 2 × ${n(COUNT)} events on ${topics.id}-* (${n(EVENT_RATE)} events/s of event time per scenario)`,
  );
  await produceBacklog(
    { rate: 'backlog', count: COUNT, partitions: PARTITIONS, eventRate: EVENT_RATE },
    topics.env,
  );
  const { rows, agreement } = await drains(install, topics);
  return {
    setup: {
      pyspark: SPARK_VERSION,
      master: process.env['SPARK_MASTER'] ?? 'local[*]',
      'shuffle partitions': SHUFFLE_PARTITIONS,
      jars: install.jars.map((j) => j.slice(j.lastIndexOf('/') + 1)),
      java: `${install.javaMajor} (${install.java})`,
      backlog: `2 × ${n(COUNT)} events, ${PARTITIONS} partitions per topic, ${n(EVENT_RATE)} events/s of event time per scenario`,
    },
    drains: rows,
    perCoreRatios: perCoreRatios(rows),
    freshness: await freshness(install, topics),
    agreement,
  };
}

async function main(): Promise<void> {
  const install = ensureSpark();
  rmSync(RUNS_DIR, { recursive: true, force: true });
  await resetSchemas(Object.values(AGGREGATOR_SCHEMAS));
  const topics = freshTopics();
  try {
    const context = await measureAll(install, topics);
    report(SPARK_BENCHMARK, context as unknown as Record<string, unknown>, measurements(context));
    console.log(
      `\n${sparkSection({ benchmark: SPARK_BENCHMARK, context: context as unknown as Record<string, unknown>, results: [] })}`,
    );
  } finally {
    await deleteTopics(topics);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
