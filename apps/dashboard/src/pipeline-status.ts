/** The pipeline panel: from the aggregator's and the simulator's /metrics and /health. */
export interface PipelineStatus {
  readonly recordsIn: number;
  readonly recordsInPerSecond: number;
  readonly resultsPerSecond: number;
  readonly produced: number;
  readonly producedPerSecond: number;
  readonly consumerLag: number;
  readonly watermarkDelaySeconds: number | null;
  readonly deadLettered: number;
  readonly lateEvents: number;
  readonly sinkLatencyP99Seconds: Readonly<Record<string, number | null>>;
  readonly health: Readonly<Record<string, boolean>>;
}

/** prom-client's `getMetricsAsJSON()`, as `/metrics.json` serves it. */
type Families = {
  name: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}[];

const valuesOf = (families: Families, name: string) =>
  families.find((f) => f.name === name)?.values ?? [];
const total = (families: Families, name: string) =>
  valuesOf(families, name).reduce((n, v) => n + v.value, 0);
const maxOf = (families: Families, name: string) => {
  const values = valuesOf(families, name).map((v) => v.value);
  return values.length ? Math.max(...values) : null;
};

/**
 * Per label value: the upper bound of the bucket holding the q-quantile (what histogram_quantile
 * approximates).
 */
function quantiles(
  families: Families,
  name: string,
  label: string,
  q: number,
): Record<string, number | null> {
  const buckets = valuesOf(families, name).filter((v) => v.metricName === `${name}_bucket`);
  const out: Record<string, number | null> = {};
  for (const key of new Set(buckets.map((b) => String(b.labels[label])))) {
    const mine = buckets
      .filter((b) => String(b.labels[label]) === key)
      .map((b) => [Number(b.labels['le']), b.value] as const)
      .sort((a, b) => a[0] - b[0]);
    const count = mine.at(-1)?.[1] ?? 0;
    out[key] = count === 0 ? null : (mine.find(([, n]) => n >= q * count)?.[0] ?? null);
  }
  return out;
}

async function json(url: string): Promise<Families | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
    return response.ok ? ((await response.json()) as Families) : null;
  } catch {
    return null;
  }
}

async function text(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
    return await response.text();
  } catch {
    return null;
  }
}

/** Reads both apps; rates come from the difference with the previous reading. */
export class PipelineWatcher {
  private previous:
    { atMs: number; recordsIn: number; results: number; produced: number } | undefined;

  constructor(
    private readonly aggregatorUrl: string,
    private readonly simulatorUrl: string,
  ) {}

  async read(nowMs: number): Promise<PipelineStatus> {
    const [metrics, simulator, health] = await Promise.all([
      json(`${this.aggregatorUrl}/metrics.json`),
      json(`${this.simulatorUrl}/metrics.json`),
      text(`${this.aggregatorUrl}/health`),
    ]);
    const agg = metrics ?? [];
    const sim = simulator ?? [];
    const now = {
      atMs: nowMs,
      recordsIn: total(agg, 'rta_events_in_total'),
      results: total(agg, 'rta_results_written_total'),
      produced: total(sim, 'rta_events_produced_total'),
    };
    const rate = (key: 'recordsIn' | 'results' | 'produced') =>
      this.previous && nowMs > this.previous.atMs
        ? Math.max(0, ((now[key] - this.previous[key]) * 1000) / (nowMs - this.previous.atMs))
        : 0;
    const status: PipelineStatus = {
      recordsIn: now.recordsIn,
      recordsInPerSecond: rate('recordsIn'),
      resultsPerSecond: rate('results'),
      produced: now.produced,
      producedPerSecond: rate('produced'),
      consumerLag: total(agg, 'rta_consumer_lag'),
      watermarkDelaySeconds: maxOf(agg, 'rta_watermark_delay_seconds'),
      deadLettered: total(agg, 'rta_dead_lettered_total'),
      lateEvents: total(agg, 'rta_late_events_total'),
      sinkLatencyP99Seconds: quantiles(agg, 'rta_sink_write_seconds', 'sink', 0.99),
      health: healthOf(health, metrics !== null, simulator !== null),
    };
    this.previous = now;
    return status;
  }
}

function healthOf(
  health: string | null,
  aggregatorUp: boolean,
  simulatorUp: boolean,
): Record<string, boolean> {
  let checks: Record<string, { ok: boolean }> = {};
  try {
    checks = health
      ? ((JSON.parse(health) as { checks?: Record<string, { ok: boolean }> }).checks ?? {})
      : {};
  } catch {
    // not the aggregator answering: no dependency checks to show
  }
  return {
    simulator: simulatorUp,
    aggregator: aggregatorUp,
    ...Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, c.ok])),
  };
}
