import { cpus, totalmem } from 'node:os';
import { AvroSerde, STREAMS } from '@rta/event-schemas';
import { loadServiceEndpoints } from '@rta/service-config';
import { EcommerceScenario, GameScenario, Rng, runSimulation, Scenario } from '@rta/simulation';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';
import { Measurement, report } from './report';

/**
 * Maximum sustained produce rate of each simulator scenario to the local Kafka: generate,
 * Avro-encode, produce with acks=all, as fast as the broker acknowledges. Fixed seeds, median of
 * RUNS runs. Beside it, the generate+encode rate with no Kafka at all (the CPU ceiling).
 *   npx nx run bench:produce            (EVENTS=200000 RUNS=3 by default)
 */
const EVENTS = Number(process.env['EVENTS'] ?? 200_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCH = Number(process.env['BATCH'] ?? 2_000);
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({ brokers: endpoints.kafkaBrokers, clientId: 'bench-produce' });
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);

type Name = 'game' | 'ecommerce';
const scenarioOf = (name: Name, seed: number): Scenario<{ timestamp: number }> =>
  (name === 'game'
    ? new GameScenario(new Rng(seed))
    : new EcommerceScenario(new Rng(seed))) as unknown as Scenario<{ timestamp: number }>;

async function once(name: Name, run: number, toKafka: boolean): Promise<number> {
  const topic = `bench-${name}-${Date.now().toString(36)}-${run}`;
  const encode = await serde.encoderFor(
    await serde.register(`bench-${name}`, STREAMS[name].schemaVersions.at(-1) as object),
  );
  const producer = new BatchProducer(kafka, topic);
  if (toKafka) {
    await ensureTopics(kafka, [{ topic, partitions: 6, replicationFactor: 1 }]);
    await producer.connect();
  }
  const stats = await runSimulation({
    scenario: scenarioOf(name, 1_000 + run),
    rng: new Rng(run),
    plan: { ratePerSec: 1_000 },
    startTimeMs: Date.now(),
    unpaced: true,
    count: EVENTS,
    batchSize: BATCH,
    encode,
    send: toKafka ? (batch) => producer.send(batch) : async () => undefined,
  });
  if (toKafka) await producer.disconnect();
  return (stats.messages / stats.elapsedMs) * 1000;
}

async function main(): Promise<void> {
  const measurements: Measurement[] = [];
  for (const name of ['game', 'ecommerce'] as const) {
    for (const toKafka of [false, true]) {
      const runs: number[] = [];
      for (let run = 0; run < RUNS; run += 1) runs.push(await once(name, run, toKafka));
      const what = toKafka
        ? 'generate + encode + produce (acks=all)'
        : 'generate + encode only (no Kafka)';
      measurements.push({ name: `${name}: ${what}`, unit: 'events/s', runs });
      process.stderr.write(
        `${name} ${toKafka ? 'to Kafka' : 'encode only'}: ${runs.map(Math.round).join(', ')} events/s\n`,
      );
    }
  }
  report(
    'simulator produce rate',
    {
      events: EVENTS,
      runs: RUNS,
      batch: BATCH,
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
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
