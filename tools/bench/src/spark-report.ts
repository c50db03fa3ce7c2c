import type { Measurement, Report } from './report';
import type { Agreement } from './spark-db';
import type { DrainRow } from './spark-drain';
import type { FreshnessRow } from './spark-live';

/**
 * The title `bench:spark` reports under; `bench:all` renders it as docs/benchmarks.md's "Spark side
 * by side".
 */
export const SPARK_BENCHMARK = 'Spark side by side';

export interface SparkContext {
  readonly setup: Record<string, unknown>;
  readonly drains: readonly DrainRow[];
  /**
   * Aggregator over Spark, events/s per core: the same 3 metrics, and the full catalog vs the 4
   * seed queries.
   */
  readonly perCoreRatios: { readonly sameMetrics: number; readonly fullCatalogVsSeeds: number };
  readonly freshness: readonly FreshnessRow[];
  readonly agreement: readonly Agreement[];
}

export function perCoreRatios(drains: readonly DrainRow[]): SparkContext['perCoreRatios'] {
  const perCore = (prefix: string) =>
    drains.find((d) => d.label.startsWith(prefix))?.eventsPerCoreSecond ?? Number.NaN;
  return {
    sameMetrics: perCore('(c)') / perCore('(b)'),
    fullCatalogVsSeeds: perCore('(e)') / perCore('(d)'),
  };
}

/**
 * What report() records: one series per number (report() rounds, so cores are in % of one core).
 */
export function measurements(context: SparkContext): Measurement[] {
  const out: Measurement[] = context.drains.flatMap((d) => [
    { name: `${d.label}: events/s`, unit: 'events/s', runs: [d.eventsPerSecond] },
    {
      name: `${d.label}: events/s without start-up`,
      unit: 'events/s',
      runs: [d.steadyEventsPerSecond],
    },
    { name: `${d.label}: CPU`, unit: '% of one core', runs: [100 * d.cpuCores] },
    { name: `${d.label}: events/s per core`, unit: 'events/s', runs: [d.eventsPerCoreSecond] },
    { name: `${d.label}: peak RSS`, unit: 'MiB', runs: [d.peakRssMiB] },
  ]);
  out.push({
    name: 'aggregator / Spark, events/s per core: the same 3 metrics, (c) / (b)',
    unit: '%',
    runs: [100 * context.perCoreRatios.sameMetrics],
  });
  out.push({
    name: 'aggregator / Spark, events/s per core: full catalog / 4 seed queries, (e) / (d)',
    unit: '%',
    runs: [100 * context.perCoreRatios.fullCatalogVsSeeds],
  });
  for (const f of context.freshness) {
    for (const q of ['p50', 'p95', 'p99'] as const)
      out.push({
        name: `freshness ${q}: ${f.label}`,
        unit: 'ms',
        runs: [1000 * (f[q] ?? Number.NaN)],
      });
  }
  return out;
}

const n = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
const s = (value: number | null) =>
  value !== null && Number.isFinite(value) ? value.toFixed(3) : '—';

/**
 * The markdown section: drains, per-core ratios, freshness, and how Spark's rows agree with the
 * aggregator's.
 */
export function sparkSection(entry: Report): string {
  const c = entry.context as unknown as SparkContext;
  const setup = Object.entries(c.setup)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
  return [
    `### ${SPARK_BENCHMARK}`,
    '',
    `PySpark Structured Streaming running seed 004's three queries and seed 000's query as the seeds write them (Kafka from the earliest offsets, the Confluent header stripped, \`from_avro\`, \`withWatermark\`, \`groupBy(window, key)\`, update mode, \`foreachBatch\` appending to PostgreSQL by JDBC), beside the aggregator computing the same metrics (windows and watermarks of libs/metrics-catalog), all in one run over the same backlog. Setup: ${setup}.`,
    '',
    "Rates are events in the topics drained over the wall time from the process's start to the last event processed with its results written (Spark: its last micro-batch that read rows, Trigger.AvailableNow; the aggregator: every record consumed and its results count unchanged for 1 s); CPU is the CPU seconds of the whole process tree (/proc) over that time. Each Spark query reads the topic itself (Spark runs one Kafka source per query). The aggregator also writes Elasticsearch; Spark writes PostgreSQL only.",
    '',
    '| run | events | wall (s) | events/s | events/s without start-up | CPU (cores) | events/s per core | peak RSS (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...c.drains.map(
      (d) =>
        `| ${d.label} | ${n(d.events)} | ${d.wallSeconds.toFixed(1)} | ${n(d.eventsPerSecond)} | ${n(d.steadyEventsPerSecond)} | ${d.cpuCores.toFixed(2)} | ${n(d.eventsPerCoreSecond)} | ${n(d.peakRssMiB)} |`,
    ),
    '',
    `Aggregator / Spark, events/s per core: the same three metrics ${c.perCoreRatios.sameMetrics.toFixed(2)}×; the full catalog against the four seed queries ${c.perCoreRatios.fullCatalogVsSeeds.toFixed(2)}×.`,
    '',
    '| freshness | p50 (s) | p95 (s) | p99 (s) | CPU (cores) | measured as |',
    '|---|---:|---:|---:|---:|---|',
    ...c.freshness.map(
      (f) =>
        `| ${f.label} | ${s(f.p50)} | ${s(f.p95)} | ${s(f.p99)} | ${f.cpuCores.toFixed(2)} | ${f.definition} |`,
    ),
    '',
    "| Spark's last row per window and key vs the aggregator's view | rows | equal | only Spark | only aggregator | different | closed (final) | closed and equal |",
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...c.agreement.map(
      (a) =>
        `| ${a.metric} | ${a.rows} | ${a.equal} | ${a.onlySpark} | ${a.onlyAggregator} | ${a.different} | ${a.closed} | ${a.closedEqual} |`,
    ),
  ].join('\n');
}
