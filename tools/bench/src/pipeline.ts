import { ECOMMERCE_STREAM, GAME_STREAM } from '@rta/event-schemas';
import { App, operationsUrlOf, quantileBetween, Reading, startApp, stop, until } from './apps';
import { consumeKafkajs } from './client-ceilings';

/**
 * The whole pipeline on the local services: simulators → Kafka → aggregator (full catalog) →
 * PostgreSQL and Elasticsearch, each run on fresh topics and group.
 */
export interface RunSpec {
  /**
   * Total events/s over both scenarios; 'max': `count` per scenario produced as fast as Kafka
   * takes them while the aggregator consumes (both share the cores); 'backlog': `count` per
   * scenario produced first, then drained by the aggregator alone and read by a plain kafkajs
   * consumer that only decodes (the ceiling, same topics, same run).
   */
  readonly rate: number | 'max' | 'backlog';
  readonly count?: number;
  readonly seconds?: number;
  readonly partitions?: number;
  readonly keys?: number;
  readonly instances?: number;
  /** `--members` of each aggregator instance (processes of one command). */
  readonly members?: number;
  /** 'backlog': events/s of event time per scenario (BACKLOG_EVENT_RATE by default). */
  readonly eventRate?: number;
}

export interface RunResult {
  readonly label: string;
  readonly producedPerSecond: number;
  readonly consumedPerSecond: number;
  readonly lagAtEnd: number;
  readonly freshnessSeconds: {
    readonly p50: number | null;
    readonly p95: number | null;
    readonly p99: number | null;
  };
  readonly aggregatorCpuCores: number;
  readonly aggregatorPeakRssMiB: number;
  readonly topic: string;
  readonly events: number;
  /** 'backlog' runs: the plain kafkajs consume + decode rate over the same topics. */
  readonly ceilingPerSecond?: number;
}

/** Event time advances as if the backlog had been produced at this rate (per scenario). */
const BACKLOG_EVENT_RATE = 25_000;

export async function runPipeline(spec: RunSpec, label: string): Promise<RunResult> {
  const id = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const env = {
    GAME_TOPIC: `${id}-game`,
    ECOMMERCE_TOPIC: `${id}-shop`,
    AGGREGATOR_GROUP_ID: id,
    DEAD_LETTER_TOPIC: `${id}-dead`,
    LATE_EVENTS_TOPIC: `${id}-late`,
    TOPIC_PARTITIONS: String(spec.partitions ?? 6),
  };
  if (spec.rate === 'backlog') await produceBacklog(spec, env);
  const aggregators: App[] = [];
  for (let i = 0; i < (spec.instances ?? 1); i += 1)
    aggregators.push(
      startApp(
        'aggregator',
        ['--http-port', '0', '--log-level', 'info', '--members', String(spec.members ?? 1)],
        env,
      ),
    );
  const urls = await Promise.all(
    aggregators.map((a) => until('an aggregator', () => operationsUrlOf(a))),
  );
  if (spec.rate === 'backlog') {
    try {
      const result = await measureDrain(spec, label, urls, id);
      const readers = {
        [env.GAME_TOPIC]: GAME_STREAM.readerType,
        [env.ECOMMERCE_TOPIC]: ECOMMERCE_STREAM.readerType,
      };
      // Freshness means nothing here: the backlog waited before the aggregator started.
      return {
        ...result,
        freshnessSeconds: { p50: null, p95: null, p99: null },
        ceilingPerSecond: await consumeKafkajs(readers, 2 * (spec.count as number)),
      };
    } finally {
      await Promise.all(aggregators.map(stop));
    }
  }
  await new Promise((r) => setTimeout(r, 3_000)); // every instance in the group
  const simulator = startApp(
    'simulator',
    simulatorArgs(spec, spec.rate === 'max' ? 'max' : String(spec.rate / 2)),
    env,
  );
  try {
    return await measure(spec, label, urls, simulator, id);
  } finally {
    await stop(simulator);
    await Promise.all(aggregators.map(stop));
  }
}

export function simulatorArgs(spec: RunSpec, perScenario: string): string[] {
  const keys = String(spec.keys ?? 1_000);
  return [
    '--http-port',
    '0',
    '--quiet',
    '--partitions',
    String(spec.partitions ?? 6),
    '--players',
    keys,
    '--customers',
    keys,
    '--rate',
    perScenario,
    ...(spec.count ? ['--count', String(spec.count)] : []),
    '--batch-size',
    '2000',
  ];
}

/** Produces the backlog and waits for the simulator to finish; event time ends about now. */
export async function produceBacklog(spec: RunSpec, env: NodeJS.ProcessEnv): Promise<void> {
  const count = spec.count as number;
  const eventRate = spec.eventRate ?? BACKLOG_EVENT_RATE;
  const startTime = Date.now() - Math.ceil((count / eventRate) * 1000);
  const simulator = startApp(
    'simulator',
    [
      ...simulatorArgs(spec, 'max'),
      '--event-rate',
      String(eventRate),
      '--start-time',
      String(startTime),
    ],
    env,
  );
  const code = await simulator.exited;
  if (code !== 0)
    throw new Error(
      `the simulator producing the backlog exited with ${code}:\n${simulator.output()}`,
    );
}

/** From the first record consumed to the last, sampled every 250 ms. */
async function measureDrain(
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

async function measure(
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
