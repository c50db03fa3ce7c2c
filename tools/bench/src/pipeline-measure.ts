import { App, quantileBetween, Reading, until } from './apps';
import type { RunResult, RunSpec } from './pipeline';

/**
 * What a pipeline run measured, read from the metrics of its aggregator instances and simulator.
 * A drain: from the first record consumed to the last, sampled every 250 ms.
 */
export async function measureDrain(
  spec: RunSpec,
  label: string,
  urls: readonly string[],
  id: string,
): Promise<RunResult> {
  const total = 2 * (spec.count as number);
  const consumed = (readings: readonly Reading[]) => sumOf(readings, 'rta_events_in_total');
  const sampler = new Sampler(urls);
  const poll = (done: (readings: Reading[]) => boolean, timeoutMs: number) =>
    until(
      'the aggregator',
      async () => {
        const readings = await sampler.read();
        return done(readings) ? readings : undefined;
      },
      timeoutMs,
      250,
    );
  const aggs0 = await poll((r) => consumed(r) > 0, 120_000);
  // With several instances a moved partition is replayed from its checkpoint (counted again), so
  // drained means every partition owned and caught up, and the rate is the backlog over the time.
  const partitions = 2 * (spec.partitions ?? 6);
  const aggs1 = await poll(
    (r) =>
      consumed(r) >= total &&
      sumOf(r, 'rta_assigned_partitions') === partitions &&
      sumOf(r, 'rta_consumer_lag') === 0,
    1_800_000,
  );
  const result = summarise(label, id, { aggs0, aggs1 }, sampler.peakRss);
  const seconds = ((aggs1[0] as Reading).atMs - (aggs0[0] as Reading).atMs) / 1000;
  return { ...result, consumedPerSecond: (total - consumed(aggs0)) / seconds };
}

async function readAll(urls: readonly string[]): Promise<Reading[]> {
  return Promise.all(urls.map((u) => Reading.of(u)));
}

/** A series added up over the instances' readings. */
function sumOf(readings: readonly Reading[], name: string): number {
  return readings.reduce((n, r) => n + r.sum(name), 0);
}

/** Reads every instance, keeping the peak RSS seen. */
class Sampler {
  peakRss = 0;

  constructor(private readonly urls: readonly string[]) {}

  async read(): Promise<Reading[]> {
    const readings = await readAll(this.urls);
    this.peakRss = Math.max(
      this.peakRss,
      ...readings.map((r) => r.sum('rta_aggregator_process_resident_memory_bytes')),
    );
    return readings;
  }
}

/** A live run: a fixed rate after a warm-up, or at max until the backlog is drained. */
export async function measure(
  spec: RunSpec,
  label: string,
  urls: readonly string[],
  simulator: App,
  id: string,
): Promise<RunResult> {
  const simUrl = await until(
    'the simulator',
    () => /metrics at (http:\/\/\S+)\/metrics/.exec(simulator.output())?.[1],
  );
  // At a fixed rate: a 5 s warm-up, then a window. At max: from the start to the drained backlog.
  if (spec.rate !== 'max') await new Promise((r) => setTimeout(r, 5_000));
  const [sim0, aggs0] = [await Reading.of(simUrl).catch(() => undefined), await readAll(urls)];
  const sampler = new Sampler(urls);
  let aggs1: Reading[];
  if (spec.rate === 'max') {
    const total = 2 * (spec.count as number);
    aggs1 = await until(
      'the backlog to drain',
      async () => {
        const readings = await sampler.read();
        return sumOf(readings, 'rta_events_in_total') >= total ? readings : undefined;
      },
      1_800_000,
    );
  } else {
    const endAt = Date.now() + (spec.seconds ?? 30) * 1000;
    do {
      aggs1 = await sampler.read();
      await new Promise((r) => setTimeout(r, 1_000));
    } while (Date.now() < endAt);
  }
  const sim1 = await Reading.of(simUrl).catch(() => undefined);
  return summarise(label, id, { sim0, sim1, aggs0, aggs1 }, sampler.peakRss);
}

function summarise(
  label: string,
  id: string,
  r: { sim0?: Reading; sim1?: Reading; aggs0: Reading[]; aggs1: Reading[] },
  peakRss: number,
): RunResult {
  const seconds = ((r.aggs1[0] as Reading).atMs - (r.aggs0[0] as Reading).atMs) / 1000;
  const delta = (name: string) =>
    r.aggs1.reduce((n, a, i) => n + a.sum(name) - (r.aggs0[i] as Reading).sum(name), 0);
  const freshness = (q: number) =>
    Math.max(
      ...r.aggs1.map(
        (a, i) => quantileBetween(r.aggs0[i] as Reading, a, 'rta_freshness_seconds', q) ?? 0,
      ),
    );
  return {
    label,
    topic: `${id}-*`,
    producedPerSecond:
      r.sim0 && r.sim1
        ? (r.sim1.sum('rta_events_produced_total') - r.sim0.sum('rta_events_produced_total')) /
          ((r.sim1.atMs - r.sim0.atMs) / 1000 || 1)
        : Number.NaN,
    consumedPerSecond: delta('rta_events_in_total') / seconds,
    events: sumOf(r.aggs1, 'rta_events_in_total'),
    lagAtEnd: sumOf(r.aggs1, 'rta_consumer_lag'),
    freshnessSeconds: { p50: freshness(0.5), p95: freshness(0.95), p99: freshness(0.99) },
    aggregatorCpuCores: delta('rta_aggregator_process_cpu_seconds_total') / seconds,
    aggregatorPeakRssMiB: Math.round(peakRss / 2 ** 20),
  };
}
