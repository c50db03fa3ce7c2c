import { ECOMMERCE_CATALOG, GAME_CATALOG } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import { createStreamClient, ensureTopics } from '@rta/stream-io';
import { startApp, stop, until } from './apps';
import { runPipeline, simulatorArgs } from './pipeline';
import { killTree, TreeSampler } from './proc-tree';
import { jdbcFor, SPARK_SCHEMA, SparkFreshness, sparkFreshness } from './spark-db';
import { expectSuccess, SparkJob, startSparkJob } from './spark-job';
import type { SparkInstall } from './spark-setup';

/**
 * Freshness with the simulators producing live at a fixed total rate: Spark's four seed queries
 * (default processing-time trigger: the next micro-batch as soon as the previous one is done),
 * then the aggregator (full catalog) at the same rate, as pipeline.ts measures it.
 */
export interface FreshnessRow {
  readonly label: string;
  readonly definition: string;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Cores used by the consumer's process tree while the simulator ran (after a 5 s warm-up). */
  readonly cpuCores: number;
}

const WARM_UP_MS = 5_000;
const log = (line: string) => process.stderr.write(`[bench:spark] ${line}\n`);

async function untilRunning(job: SparkJob, queries: number): Promise<void> {
  // Every query has run its first trigger (found the topics empty): started, its offsets known.
  await until(
    'the Spark queries to start',
    () => {
      if (job.child.exitCode !== null)
        throw new Error(`the Spark job exited with ${job.child.exitCode}:\n${job.logTail()}`);
      return job.ready().size >= queries ? true : undefined;
    },
    300_000,
    250,
  );
}

async function untilCaughtUp(job: SparkJob, perQuery: number): Promise<void> {
  await until(
    'Spark to catch up with the live topics',
    () => {
      if (job.child.exitCode !== null)
        throw new Error(`the Spark job exited with ${job.child.exitCode}:\n${job.logTail()}`);
      return [...job.inputRows().values()].every((n) => n >= perQuery) ? true : undefined;
    },
    300_000,
    250,
  );
}

/**
 * Runs the simulator at `ratePerSecond` in total for `seconds`; the cores the job's tree used
 * meanwhile (after a warm-up).
 */
async function produceLive(
  tree: TreeSampler,
  env: NodeJS.ProcessEnv,
  ratePerSecond: number,
  perScenario: number,
): Promise<number> {
  const simulator = startApp(
    'simulator',
    simulatorArgs({ rate: ratePerSecond, count: perScenario }, String(ratePerSecond / 2)),
    env,
  );
  try {
    const startMs = Date.now();
    const code = await simulator.exited;
    if (code !== 0) throw new Error(`the simulator exited with ${code}:\n${simulator.output()}`);
    return tree.coresBetween(startMs + WARM_UP_MS, Date.now());
  } finally {
    await stop(simulator);
  }
}

/**
 * `ratePerSecond` in total over both scenarios for `seconds` on fresh topics `<id>-*`, Spark
 * consuming; freshness per window row from PostgreSQL.
 */
export async function sparkLive(
  install: SparkInstall,
  id: string,
  ratePerSecond: number,
  seconds: number,
): Promise<FreshnessRow[]> {
  const env = { GAME_TOPIC: `${id}-game`, ECOMMERCE_TOPIC: `${id}-shop`, TOPIC_PARTITIONS: '6' };
  await createTopics([env.GAME_TOPIC, env.ECOMMERCE_TOPIC]);
  const job = startSparkJob(install, {
    runId: id,
    ecommerceTopic: env.ECOMMERCE_TOPIC,
    gameTopic: env.GAME_TOPIC,
    trigger: 'default',
    jdbc: jdbcFor(SPARK_SCHEMA),
  });
  const tree = new TreeSampler(job.child.pid as number);
  try {
    const cpuCores = await consumeLive(job, tree, env, ratePerSecond, seconds);
    const f = await sparkFreshness(id);
    log(
      `Spark freshness over ${f.windows} windows (${f.rowsWritten} rows written): per window ${JSON.stringify(f.perWindow)}, per row ${JSON.stringify(f.perRow)}`,
    );
    const label = `Spark, seeds 000 + 004 (4 queries), ${ratePerSecond.toLocaleString('en-US')} events/s for ${seconds} s`;
    return freshnessRows(label, cpuCores, f);
  } finally {
    tree.stop();
    await killTree(job.child.pid as number);
  }
}

/** Creates the topics before the job starts: its queries find them empty on their first trigger. */
async function createTopics(topics: readonly string[]): Promise<void> {
  const brokers = loadServiceEndpoints().kafkaBrokers;
  const kafka = createStreamClient({ brokers, clientId: 'bench-spark' });
  await ensureTopics(
    kafka,
    topics.map((topic) => ({
      topic,
      partitions: 6,
      replicationFactor: 1,
    })),
  );
}

/**
 * The simulator produces while the job's 4 queries consume, until they have caught up and the job
 * has stopped; the cores its process tree used meanwhile.
 */
async function consumeLive(
  job: SparkJob,
  tree: TreeSampler,
  env: NodeJS.ProcessEnv,
  ratePerSecond: number,
  seconds: number,
): Promise<number> {
  await untilRunning(job, 4);
  const perScenario = Math.round((ratePerSecond / 2) * seconds);
  log(
    `Spark running; the simulator produces ${ratePerSecond.toLocaleString('en-US')} events/s for ${seconds} s`,
  );
  const cpuCores = await produceLive(tree, env, ratePerSecond, perScenario);
  await untilCaughtUp(job, perScenario);
  job.stop();
  await expectSuccess(job);
  return cpuCores;
}

/** Spark's freshness two ways: per window (exact) and per row written. */
function freshnessRows(label: string, cpuCores: number, f: SparkFreshness): FreshnessRow[] {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const row = (what: string, q: { p50: number; p95: number; p99: number }, definition: string) => ({
    label: `${label}, ${what}`,
    cpuCores,
    definition,
    p50: round(q.p50),
    p95: round(q.p95),
    p99: round(q.p99),
  });
  return [
    row(
      'per window',
      f.perWindow,
      `per window and key (${f.windows}): its newest record's Kafka timestamp → its last row landing in PostgreSQL (clock_timestamp()); exact`,
    ),
    row(
      'per row written',
      f.perRow,
      `per row appended (${f.rowsWritten}, update mode: every micro-batch rewrites the windows it touched): the newest record in it → its landing`,
    ),
  ];
}

/**
 * pipeline.ts's fixed-rate run: the aggregator's full catalog into both sinks, its
 * rta_freshness_seconds histogram.
 */
export async function aggregatorLive(
  ratePerSecond: number,
  seconds: number,
): Promise<FreshnessRow> {
  const label = `aggregator, full catalog (${ECOMMERCE_CATALOG.length + GAME_CATALOG.length} metrics, both sinks), ${ratePerSecond.toLocaleString('en-US')} events/s for ${seconds} s`;
  const result = await runPipeline({ rate: ratePerSecond, seconds }, label);
  log(JSON.stringify(result));
  return {
    label,
    cpuCores: result.aggregatorCpuCores,
    ...result.freshnessSeconds,
    definition:
      'per flush: its oldest record entering Kafka → its results durable in both sinks (rta_freshness_seconds, bucket upper bounds; an upper bound per event)',
  };
}
