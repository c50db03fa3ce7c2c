import { Consumer, Producer } from '@platformatic/kafka';
import { cpus, totalmem } from 'node:os';
import { AvroSerde, ECOMMERCE_STREAM } from '@rta/event-schemas';
import { loadServiceEndpoints } from '@rta/service-config';
import { EcommerceScenario, OutgoingMessage, Rng, runSimulation } from '@rta/simulation';
import { BatchProducer, createKafka, ensureTopics } from '@rta/stream-io';
import { Measurement, report } from './report';

/**
 * The Kafka clients' ceilings on this machine, beside each other: produce pre-encoded e-commerce
 * events (acks=all, batches of BATCH) and consume + Avro-decode them (a fresh group reading a
 * topic from the beginning, nothing else), with kafkajs (what stream-io uses) and
 * @platformatic/kafka. Fixed seed, median of RUNS runs.
 *   npx nx run bench:clients            (EVENTS=200000 RUNS=3 BATCH=2000)
 */
const EVENTS = Number(process.env['EVENTS'] ?? 200_000);
const RUNS = Number(process.env['RUNS'] ?? 3);
const BATCH = Number(process.env['BATCH'] ?? 2_000);
const PARTITIONS = 6;
const endpoints = loadServiceEndpoints();
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'bench-clients' });
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const reader = ECOMMERCE_STREAM.readerType;
const tag = Date.now().toString(36);

async function encodedEvents(): Promise<OutgoingMessage[]> {
  const encode = await serde.encoderFor(await serde.register('bench-clients', ECOMMERCE_STREAM.schemaVersions.at(-1) as object));
  const out: OutgoingMessage[] = [];
  await runSimulation({
    scenario: new EcommerceScenario(new Rng(7)), rng: new Rng(8), plan: { ratePerSec: 1_000 }, startTimeMs: Date.now(), unpaced: true, count: EVENTS, batchSize: BATCH, encode,
    send: async (batch) => void out.push(...batch),
  });
  return out;
}

async function freshTopic(name: string): Promise<string> {
  const topic = `bench-${name}-${tag}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTopics(kafka, [{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
  return topic;
}

const perSecond = (count: number, startedMs: number) => (count * 1000) / (performance.now() - startedMs);

async function produceKafkajs(messages: readonly OutgoingMessage[]): Promise<{ rate: number; topic: string }> {
  const topic = await freshTopic('kafkajs');
  const producer = new BatchProducer(kafka, topic);
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) await producer.send(messages.slice(i, i + BATCH));
  const rate = perSecond(messages.length, started);
  await producer.disconnect();
  return { rate, topic };
}

async function producePlatformatic(messages: readonly OutgoingMessage[]): Promise<number> {
  const topic = await freshTopic('platformatic');
  const producer = new Producer({ clientId: 'bench-clients', bootstrapBrokers: [...endpoints.kafkaBrokers], acks: -1, idempotent: true });
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.send({ messages: messages.slice(i, i + BATCH).map((m) => ({ topic, key: Buffer.from(m.key), value: m.value })) });
  }
  const rate = perSecond(messages.length, started);
  await producer.close();
  return rate;
}

async function consumeKafkajs(topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-kafkajs-${tag}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let started = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (count === 0) started = performance.now();
        for (const m of batch.messages) await serde.decode(m.value, reader);
        count += batch.messages.length;
        if (count >= EVENTS) resolve(perSecond(count, started));
      },
    });
  });
  const rate = await done;
  await consumer.disconnect();
  return rate;
}

async function consumePlatformatic(topic: string): Promise<number> {
  const consumer = new Consumer({ groupId: `bench-platformatic-${tag}-${Math.random()}`, clientId: 'bench-clients', bootstrapBrokers: [...endpoints.kafkaBrokers] });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let count = 0;
  let started = 0;
  const rate = await new Promise<number>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (message: { value: Buffer }) => {
      if (count === 0) started = performance.now();
      count += 1;
      void serde.decode(message.value, reader).then(() => {
        if (count === EVENTS) resolve(perSecond(count, started));
      });
    });
  });
  await stream.close();
  await consumer.close(true);
  return rate;
}

async function main(): Promise<void> {
  const messages = await encodedEvents();
  const runs = { kafkajsProduce: [] as number[], platformaticProduce: [] as number[], kafkajsConsume: [] as number[], platformaticConsume: [] as number[] };
  for (let run = 0; run < RUNS; run += 1) {
    const { rate, topic } = await produceKafkajs(messages);
    runs.kafkajsProduce.push(rate);
    runs.platformaticProduce.push(await producePlatformatic(messages));
    runs.kafkajsConsume.push(await consumeKafkajs(topic));
    runs.platformaticConsume.push(await consumePlatformatic(topic));
    process.stderr.write(`run ${run + 1}: ${Object.entries(runs).map(([k, v]) => `${k} ${Math.round(v.at(-1) as number)}`).join(', ')} msg/s\n`);
  }
  const measurements: Measurement[] = [
    { name: 'kafkajs 2.2.4: produce (acks=all, idempotent)', unit: 'msg/s', runs: runs.kafkajsProduce },
    { name: '@platformatic/kafka 1.35.0: produce (acks=all, idempotent)', unit: 'msg/s', runs: runs.platformaticProduce },
    { name: 'kafkajs 2.2.4: consume + Avro decode', unit: 'msg/s', runs: runs.kafkajsConsume },
    { name: '@platformatic/kafka 1.35.0: consume + Avro decode', unit: 'msg/s', runs: runs.platformaticConsume },
  ];
  report('Kafka client ceilings', { events: EVENTS, runs: RUNS, batch: BATCH, partitions: PARTITIONS, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, measurements);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
