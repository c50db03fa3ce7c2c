import { cpus } from 'node:os';
import {
  approxCountDistinct,
  count,
  countDistinct,
  hopping,
  metric,
  MetricSpec,
  session,
  sum,
  tumbling,
  WindowingEngine,
} from '@rta/windowing';
import { Measurement, report } from './report';

/**
 * Windowing engine throughput on one core, and heap per open (window, key).
 *   npx nx run bench:windowing          (EVENTS=2000000 RUNS=3 by default; run with --expose-gc)
 */
interface Ev {
  t: number;
  key: string;
  v: number;
  user: string;
}
const EVENTS = Number(process.env['EVENTS'] ?? 2_000_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCH = 1_000;

/** Deterministic events: 10,000 keys, 1,000 events per second of event time, 100,000 users. */
function events(n: number, keys = 10_000): Ev[] {
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, (_, i) => ({
    t: i,
    key: `k${next() % keys}`,
    v: next() % 10_000,
    user: `u${next() % 100_000}`,
  }));
}

const base = {
  name: 'bench',
  eventTime: (e: Ev) => e.t,
  groupBy: ['key'],
  watermarkDelay: '10s',
} as const;
const CASES: Record<string, Omit<MetricSpec<Ev>, 'name' | 'eventTime'>> = {
  'a: tumbling 1m count+sum, 10k keys': {
    ...base,
    window: tumbling('1m'),
    aggregate: { n: count(), total: sum((e: Ev) => e.v) },
  },
  'b: hopping 5m/1m count': { ...base, window: hopping('5m', '1m'), aggregate: { n: count() } },
  'c: session 30s gap count': { ...base, window: session('30s'), aggregate: { n: count() } },
  'd1: tumbling 1m count-distinct exact': {
    ...base,
    window: tumbling('1m'),
    aggregate: { users: countDistinct((e: Ev) => e.user) },
  },
  'd2: tumbling 1m count-distinct HLL p12': {
    ...base,
    window: tumbling('1m'),
    aggregate: { users: approxCountDistinct((e: Ev) => e.user) },
  },
};

function throughput(spec: MetricSpec<Ev>, input: Ev[]): number {
  const engine = new WindowingEngine([metric(spec)]);
  engine.assign([0], 0);
  const started = performance.now();
  for (let i = 0; i < input.length; i += BATCH) {
    engine.process(0, input.slice(i, i + BATCH), 0);
    if (i % 100_000 === 0) engine.emitUpdates();
  }
  return (input.length / (performance.now() - started)) * 1000;
}

/**
 * Retained heap per open cell: 200,000 events over 10,000 keys, all in one open window; the
 * heap with the engine alive minus the heap once it is gone, both after a full GC.
 */
function bytesPerCell(spec: MetricSpec<Ev>): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  const input = events(200_000).map((e) => ({ ...e, t: 1_000 }));
  let engine: WindowingEngine<Ev> | undefined = new WindowingEngine([metric(spec)]);
  engine.process(0, input, 0);
  const cells = engine.stats.openCells;
  gc();
  const withEngine = process.memoryUsage().heapUsed;
  engine = undefined;
  gc();
  return (withEngine - process.memoryUsage().heapUsed) / cells;
}

function main(): void {
  const input = events(EVENTS);
  const measurements: Measurement[] = [];
  for (const [name, c] of Object.entries(CASES)) {
    const spec = { ...c, name: 'bench', eventTime: (e: Ev) => e.t };
    const runs = Array.from({ length: RUNS }, () => throughput(spec, input));
    measurements.push({ name: `${name}: throughput`, unit: 'events/s', runs });
    measurements.push({
      name: `${name}: heap per open (window, key)`,
      unit: 'bytes',
      runs: [bytesPerCell(spec)],
    });
    process.stderr.write(`${name}: ${runs.map(Math.round).join(', ')} events/s\n`);
  }
  report(
    'windowing engine (one core)',
    { events: EVENTS, runs: RUNS, batch: BATCH, cpu: cpus()[0]?.model, node: process.version },
    measurements,
  );
}

main();
