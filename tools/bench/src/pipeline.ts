import { ECOMMERCE_STREAM, GAME_STREAM } from '@rta/event-schemas';
import { App, operationsUrlOf, startApp, stop, until } from './apps';
import { consumeKafkajs } from './client-ceilings';
import { measure, measureDrain } from './pipeline-measure';

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
  const env = freshTopicsEnv(spec, id);
  if (spec.rate === 'backlog') await produceBacklog(spec, env);
  const aggregators = await startAggregators(spec, env);
  if (spec.rate === 'backlog') return drainBacklog(spec, label, id, env, aggregators);
  await new Promise((r) => setTimeout(r, 3_000)); // every instance in the group
  const simulator = startApp(
    'simulator',
    simulatorArgs(spec, spec.rate === 'max' ? 'max' : String(spec.rate / 2)),
    env,
  );
  try {
    return await measure(spec, label, aggregators.urls, simulator, id);
  } finally {
    await stop(simulator);
    await Promise.all(aggregators.apps.map(stop));
  }
}

/** The apps' environment for one run: topics and consumer group of their own, named after `id`. */
function freshTopicsEnv(spec: RunSpec, id: string) {
  return {
    GAME_TOPIC: `${id}-game`,
    ECOMMERCE_TOPIC: `${id}-shop`,
    AGGREGATOR_GROUP_ID: id,
    DEAD_LETTER_TOPIC: `${id}-dead`,
    LATE_EVENTS_TOPIC: `${id}-late`,
    TOPIC_PARTITIONS: String(spec.partitions ?? 6),
  };
}

type RunEnv = ReturnType<typeof freshTopicsEnv>;

/** A run's aggregator instances and where each serves its metrics. */
interface Aggregators {
  readonly apps: readonly App[];
  readonly urls: readonly string[];
}

/** Starts `spec.instances` aggregators and waits until each serves its metrics. */
async function startAggregators(spec: RunSpec, env: RunEnv): Promise<Aggregators> {
  const apps: App[] = [];
  for (let i = 0; i < (spec.instances ?? 1); i += 1)
    apps.push(
      startApp(
        'aggregator',
        ['--http-port', '0', '--log-level', 'info', '--members', String(spec.members ?? 1)],
        env,
      ),
    );
  const urls = await Promise.all(apps.map((a) => until('an aggregator', () => operationsUrlOf(a))));
  return { apps, urls };
}

/** 'backlog': the aggregators drain it, then a plain kafkajs consumer reads it (the ceiling). */
async function drainBacklog(
  spec: RunSpec,
  label: string,
  id: string,
  env: RunEnv,
  { apps, urls }: Aggregators,
): Promise<RunResult> {
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
    await Promise.all(apps.map(stop));
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
