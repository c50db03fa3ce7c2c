import { cpus } from 'node:os';
import { AvroSerde, STREAMS } from '@rta/event-schemas';
import { BuiltMetric, ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import {
  EcommerceScenario,
  GameScenario,
  OutgoingMessage,
  Rng,
  runSimulation,
  Scenario,
} from '@rta/simulation';
import { Metric, WindowingEngine } from '@rta/windowing';
import { Measurement, report } from './report';

/**
 * The windowing engine alone over the catalog's own metrics and the simulators' events, decoded
 * beforehand: CPU µs per event for each stream's whole catalog (and, with EACH=1, per metric).
 * Fixed seeds; best of RUNS after a warm-up (the least disturbed run of a shared machine).
 *   npx nx run bench:catalog-engine     (EVENTS=300000 per scenario, RUNS=3, EACH=1 prices every metric)
 */
const EVENTS = Number(process.env['EVENTS'] ?? 300_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCH = 2_000;
const PARTITIONS = 6;
const START_MS = Date.UTC(2026, 0, 1);
const NOW_MS = START_MS + 10 * 3_600_000;

type Name = 'game' | 'ecommerce';

/**
 * The scenario's events as the aggregator sees them after decoding, per partition (by key hash).
 */
async function decodedEvents(name: Name, serde: AvroSerde): Promise<unknown[][]> {
  const writer = STREAMS[name];
  const encode = await serde.encoderFor(
    await serde.register(`bench-processor-${name}`, writer.schemaVersions.at(-1) as object),
  );
  const scenario = (name === 'game'
    ? new GameScenario(new Rng(7))
    : new EcommerceScenario(new Rng(7))) as unknown as Scenario<{ timestamp: number }>;
  const partitions: unknown[][] = Array.from({ length: PARTITIONS }, () => []);
  const send = async (batch: readonly OutgoingMessage[]) => {
    for (const m of batch) {
      const decoded = await serde.decode(m.value, writer.readerType);
      if (decoded.ok) (partitions[hashOf(m.key) % PARTITIONS] as unknown[]).push(decoded.value);
    }
  };
  await runSimulation({
    scenario,
    rng: new Rng(1),
    plan: { ratePerSec: 25_000 },
    startTimeMs: START_MS,
    unpaced: true,
    count: EVENTS,
    batchSize: BATCH,
    encode,
    send,
  });
  return partitions;
}

function hashOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i += 1) h = (Math.imul(h, 31) + key.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * CPU µs per event: the partitions fed round-robin in fetch-sized batches, live results taken after
 * each round.
 */
function microsPerEvent(
  metrics: readonly Metric<unknown>[],
  partitions: readonly unknown[][],
): number {
  const engine = new WindowingEngine(metrics);
  engine.assign(
    partitions.map((_, p) => p),
    NOW_MS,
  );
  const started = process.cpuUsage();
  let events = 0;
  for (let from = 0; partitions.some((list) => from < list.length); from += BATCH) {
    partitions.forEach((list, p) => {
      const batch = list.slice(from, from + BATCH);
      events += batch.length;
      if (batch.length > 0) engine.process(p, batch, NOW_MS);
    });
    engine.emitUpdates();
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / events;
}

async function main(): Promise<void> {
  const serde = AvroSerde.forUrl(loadServiceEndpoints().schemaRegistryUrl);
  const measurements: Measurement[] = [];
  for (const name of ['game', 'ecommerce'] as const) {
    const partitions = await decodedEvents(name, serde);
    const built = (name === 'game' ? gameMetrics() : ecommerceMetrics()) as BuiltMetric<unknown>[];
    const cases: [string, Metric<unknown>[]][] = [
      [`${name}: all ${built.length} catalog metrics`, built.map((b) => b.metric)],
    ];
    if (process.env['EACH'] === '1')
      for (const b of built) cases.push([`${name}: ${b.metric.name}`, [b.metric]]);
    for (const [label, metrics] of cases) {
      microsPerEvent(metrics, partitions); // warm-up
      const runs = Array.from({ length: RUNS }, () => microsPerEvent(metrics, partitions));
      measurements.push({
        name: label,
        unit: 'CPU ns/event (best run)',
        runs: [1000 * Math.min(...runs)],
      });
      process.stderr.write(`${label}: ${runs.map((r) => r.toFixed(3)).join(', ')} µs per event\n`);
    }
  }
  report(
    'windowing engine over the catalog (one core, events decoded beforehand)',
    {
      events: EVENTS,
      runs: RUNS,
      batch: BATCH,
      partitions: PARTITIONS,
      cpu: cpus()[0]?.model,
      node: process.version,
    },
    measurements,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
