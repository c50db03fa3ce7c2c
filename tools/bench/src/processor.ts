import { cpus } from 'node:os';
import { AvroSerde, STREAMS } from '@rta/event-schemas';
import { ecommerceMetrics, gameMetrics } from '@rta/metrics-catalog';
import { ecommerceStream, gameStream, StreamProcessor, StreamSpec } from '@rta/pipeline';
import { loadServiceEndpoints } from '@rta/service-config';
import {
  EcommerceScenario,
  GameScenario,
  OutgoingMessage,
  Rng,
  runSimulation,
  Scenario,
} from '@rta/simulation';
import type { SourceRecord } from '@rta/stream-io';
import { Measurement, report } from './report';

/**
 * The aggregator's per-event work on one core, without Kafka or the sinks: decode (registry wire
 * format), validate, de-duplicate and window the whole catalog, with a flush's collection every
 * FLUSH_EVERY batches and a checkpoint's increment every CHECKPOINT_EVERY. Fixed seeds, so the
 * work is the same every run: a steadier yardstick for hot-spot work than a drain on shared cores.
 * Beside it, the same without any metric: what the engine costs is the difference.
 *   npx nx run bench:processor          (EVENTS=300000 per scenario, RUNS=3, BATCH=2000 records per fetch;
 *                                        METRICS=a,b windows only those catalog metrics, to price each one)
 */
const EVENTS = Number(process.env['EVENTS'] ?? 300_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCH = Number(process.env['BATCH'] ?? 2_000);
const PARTITIONS = 6;
const FLUSH_EVERY = 12;
const CHECKPOINT_EVERY = 240;
const EVENT_RATE = 25_000; // event time advances as if produced at this rate, like the drain's backlog
const START_MS = Date.UTC(2026, 0, 1);
/**
 * Processing time stays just after the events' time: nothing is too far ahead, no partition goes
 * idle.
 */
const NOW_MS = START_MS + (EVENTS / EVENT_RATE) * 1000 + 60_000;

type Name = 'game' | 'ecommerce';

async function recordsOf(name: Name, serde: AvroSerde): Promise<SourceRecord[][]> {
  const encode = await serde.encoderFor(
    await serde.register(`bench-processor-${name}`, STREAMS[name].schemaVersions.at(-1) as object),
  );
  const scenario = (name === 'game'
    ? new GameScenario(new Rng(7))
    : new EcommerceScenario(new Rng(7))) as unknown as Scenario<{ timestamp: number }>;
  const byPartition: SourceRecord[][] = Array.from({ length: PARTITIONS }, () => []);
  await runSimulation({
    scenario,
    rng: new Rng(1),
    plan: { ratePerSec: EVENT_RATE },
    startTimeMs: START_MS,
    unpaced: true,
    count: EVENTS,
    batchSize: BATCH,
    encode,
    send: async (batch: readonly OutgoingMessage[]) => {
      for (const m of batch) {
        const partition = hashOf(m.key) % PARTITIONS;
        const list = byPartition[partition] as SourceRecord[];
        list.push({
          topic: name,
          partition,
          offset: String(list.length),
          key: Buffer.from(m.key),
          value: m.value,
          headers: {},
          timestampMs: START_MS,
        });
      }
    },
  });
  return byPartition;
}

function hashOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i += 1) h = (Math.imul(h, 31) + key.charCodeAt(i)) >>> 0;
  return h;
}

/** Feeds the partitions round-robin in fetch-sized batches, as kafkajs hands them over. */
async function once<E>(
  spec: StreamSpec<E>,
  serde: AvroSerde,
  partitions: readonly SourceRecord[][],
): Promise<number> {
  const processor = new StreamProcessor(spec, serde, { dedupeHorizonMs: 600_000 });
  processor.assign(
    partitions.map((_, p) => p),
    new Map(),
    NOW_MS,
  );
  const started = process.cpuUsage();
  let events = 0;
  let batches = 0;
  for (let from = 0; partitions.some((list) => from < list.length); from += BATCH) {
    for (const list of partitions) {
      const batch = list.slice(from, from + BATCH);
      if (batch.length === 0) continue;
      events += (await processor.process(batch, NOW_MS)).accepted;
      batches += 1;
      if (batches % FLUSH_EVERY === 0) processor.collect(NOW_MS);
      if (batches % CHECKPOINT_EVERY === 0)
        for (const p of processor.takeProgress()) processor.checkpointOf(p.partition);
    }
  }
  processor.collect(NOW_MS);
  const used = process.cpuUsage(started);
  return events / ((used.user + used.system) / 1e6);
}

/** Each scenario's catalog, only the metrics METRICS names when it is set. */
function chosenCatalogs(): Record<Name, StreamSpec<unknown>> {
  const only = process.env['METRICS']?.split(',');
  const chosen = <T extends { metric: { name: string } }>(built: readonly T[]) =>
    built.filter((m) => !only || only.includes(m.metric.name));
  return {
    game: gameStream('game', chosen(gameMetrics())),
    ecommerce: ecommerceStream('ecommerce', chosen(ecommerceMetrics())),
  } as Record<Name, StreamSpec<unknown>>;
}

/** RUNS measured runs of `spec` over the same records, after one that warms up. */
async function runsOf(
  spec: StreamSpec<unknown>,
  serde: AvroSerde,
  partitions: readonly SourceRecord[][],
): Promise<number[]> {
  await once(spec, serde, partitions); // warm-up: the JIT's first pass is not the steady state
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await once(spec, serde, partitions));
  return runs;
}

async function main(): Promise<void> {
  const serde = AvroSerde.forUrl(loadServiceEndpoints().schemaRegistryUrl);
  const catalogs = chosenCatalogs();
  const measurements: Measurement[] = [];
  for (const name of ['game', 'ecommerce'] as const) {
    const partitions = await recordsOf(name, serde);
    const bare = { ...catalogs[name], metrics: [] };
    for (const [spec, what] of [
      [catalogs[name], `window ${catalogs[name].metrics.length} catalog metrics`],
      [bare, 'no metric'],
    ] as const) {
      const runs = await runsOf(spec, serde, partitions);
      measurements.push({
        name: `${name}: decode + validate + de-duplicate, ${what}`,
        unit: 'events/CPU-s',
        runs,
      });
      process.stderr.write(
        `${name}, ${what}: ${runs.map(Math.round).join(', ')} events per CPU second\n`,
      );
    }
  }
  report(
    'aggregator processing without Kafka (one core)',
    {
      events: EVENTS,
      runs: RUNS,
      batch: BATCH,
      partitions: PARTITIONS,
      cores: cpus().length,
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
