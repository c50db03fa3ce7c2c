import { AvroSerde, STREAMS } from '@rta/event-schemas';
import {
  EcommerceScenario,
  GameScenario,
  OutgoingMessage,
  Rng,
  runSimulation,
  RunStats,
} from '@rta/simulation';
import { BatchProducer, type StreamClient } from '@rta/stream-io';
import type { SimulatorConfig } from './config';
import type { DumpFile } from './dump';
import type { Progress } from './progress';
import type { ProducerTelemetry } from '@rta/pipeline';

export interface Wiring {
  readonly kafka: StreamClient;
  readonly serde: AvroSerde;
  readonly progress: Progress;
  readonly dump?: DumpFile;
  readonly signal: AbortSignal;
  readonly telemetry: ProducerTelemetry;
}

export function topicOf(config: SimulatorConfig, scenario: 'game' | 'ecommerce'): string {
  return scenario === 'game' ? config.options.gameTopic : config.options.ecommerceTopic;
}

/** Registers the scenario's current schema, then produces until --count or the signal. */
export async function simulate(
  config: SimulatorConfig,
  name: 'game' | 'ecommerce',
  wiring: Wiring,
): Promise<RunStats> {
  const topic = topicOf(config, name);
  const encode = await currentSchemaEncoder(wiring.serde, topic, name);
  const producer = new BatchProducer(wiring.kafka, topic);
  await producer.connect();
  const o = config.options;
  try {
    const common = {
      rng: new Rng(config.seed + (name === 'game' ? 101 : 202)),
      plan: config.plan,
      startTimeMs: config.startTimeMs,
      unpaced: o.rate === 'max',
      count: o.count,
      chaos: config.chaos,
      batchSize: o.batchSize,
      encode,
      send: batchSender(producer, name, wiring),
      dump: wiring.dump ? (record: object) => wiring.dump?.write(topic, record) : undefined,
      signal: wiring.signal,
    };
    // Each scenario draws from its own seeded generators, so running one or both changes neither.
    return name === 'game'
      ? await runSimulation({
          ...common,
          scenario: new GameScenario(new Rng(config.seed), { players: o.players }),
        })
      : await runSimulation({
          ...common,
          scenario: new EcommerceScenario(new Rng(config.seed + 1), {
            customers: o.customers,
            products: o.products,
          }),
        });
  } finally {
    await producer.disconnect();
  }
}

/** Registers the scenario's newest schema version for the topic; encodes with that schema id. */
async function currentSchemaEncoder(
  serde: AvroSerde,
  topic: string,
  name: 'game' | 'ecommerce',
): Promise<(event: unknown) => Buffer> {
  const schemaId = await serde.register(topic, STREAMS[name].schemaVersions.at(-1) as object);
  return serde.encoderFor(schemaId);
}

/**
 * Sends a batch, counting it (or its failure) in the telemetry and the progress line, and waits
 * for the dump file to drain: a slow disk slows the producer instead of filling memory.
 */
function batchSender(
  producer: BatchProducer,
  name: 'game' | 'ecommerce',
  wiring: Wiring,
): (batch: readonly OutgoingMessage[]) => Promise<void> {
  return async (batch) => {
    const t = wiring.telemetry;
    const stop = t.latency.startTimer({ scenario: name });
    await producer.send(batch).catch((error: unknown) => {
      t.failed.inc({ scenario: name }, batch.length);
      throw error;
    });
    stop();
    t.produced.inc({ scenario: name }, batch.length);
    t.batchSize.observe({ scenario: name }, batch.length);
    wiring.progress.count(name, batch.length);
    await wiring.dump?.drain();
  };
}
