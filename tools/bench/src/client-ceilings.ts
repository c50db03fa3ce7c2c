import { Consumer, Producer } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import type { Type } from 'avsc';
import { AvroSerde, ECOMMERCE_STREAM } from '@rta/event-schemas';
import { loadServiceEndpoints } from '@rta/service-config';
import { EcommerceScenario, OutgoingMessage, Rng, runSimulation } from '@rta/simulation';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';

/**
 * The Kafka clients' ceilings: produce pre-encoded e-commerce events (acks=all, batches of BATCH)
 * and consume + Avro-decode them (a fresh group reading a topic from the beginning, nothing
 * else), with kafkajs (what stream-io uses) and @platformatic/kafka. Producing with kafkajs goes
 * through stream-io's BatchProducer; consuming uses each client directly (the ceiling the
 * pipeline is measured against), which is why this file, alone outside stream-io, imports them.
 */
const BATCH = Number(process.env['BATCH'] ?? 2_000);
const PARTITIONS = 6;
const endpoints = loadServiceEndpoints();
const client = createStreamClient({ brokers: endpoints.kafkaBrokers, clientId: 'bench-clients' });
const kafkajs = new Kafka({
  brokers: [...endpoints.kafkaBrokers],
  clientId: 'bench-clients',
  logLevel: logLevel.WARN,
});
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const reader = ECOMMERCE_STREAM.readerType;
const tag = Date.now().toString(36);

export async function encodedEvents(count: number): Promise<OutgoingMessage[]> {
  const encode = await serde.encoderFor(
    await serde.register('bench-clients', ECOMMERCE_STREAM.schemaVersions.at(-1) as object),
  );
  const out: OutgoingMessage[] = [];
  await runSimulation({
    scenario: new EcommerceScenario(new Rng(7)),
    rng: new Rng(8),
    plan: { ratePerSec: 1_000 },
    startTimeMs: Date.now(),
    unpaced: true,
    count,
    batchSize: BATCH,
    encode,
    send: async (batch) => void out.push(...batch),
  });
  return out;
}

export async function freshTopic(name: string): Promise<string> {
  const topic = `bench-${name}-${tag}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTopics(client, [{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
  return topic;
}

const perSecond = (count: number, startedMs: number) =>
  (count * 1000) / (performance.now() - startedMs);

export async function produceKafkajs(
  messages: readonly OutgoingMessage[],
): Promise<{ rate: number; topic: string }> {
  const topic = await freshTopic('kafkajs');
  const producer = new BatchProducer(client, topic);
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH)
    await producer.send(messages.slice(i, i + BATCH));
  const rate = perSecond(messages.length, started);
  await producer.disconnect();
  return { rate, topic };
}

export async function producePlatformatic(messages: readonly OutgoingMessage[]): Promise<number> {
  const topic = await freshTopic('platformatic');
  const producer = new Producer({
    clientId: 'bench-clients',
    bootstrapBrokers: [...endpoints.kafkaBrokers],
    acks: -1,
    idempotent: true,
  });
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.send({
      messages: messages
        .slice(i, i + BATCH)
        .map((m) => ({ topic, key: Buffer.from(m.key), value: m.value })),
    });
  }
  const rate = perSecond(messages.length, started);
  await producer.close();
  return rate;
}

/**
 * Reads `count` messages of the topics from the beginning, decoding each with its topic's reader
 * schema (e-commerce by default); messages per second from the first batch to the last.
 */
export async function consumeKafkajs(
  topics: string | Readonly<Record<string, Type>>,
  count: number,
): Promise<number> {
  const readers: Readonly<Record<string, Type>> =
    typeof topics === 'string' ? { [topics]: reader } : topics;
  const consumer = kafkajs.consumer({ groupId: `bench-kafkajs-${tag}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: Object.keys(readers), fromBeginning: true });
  let seen = 0;
  let started = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (seen === 0) started = performance.now();
        const type = readers[batch.topic] as Type;
        for (const m of batch.messages)
          if (!serde.decodeKnown(m.value, type)) await serde.decode(m.value, type); // the aggregator's decode path
        seen += batch.messages.length;
        if (seen >= count) resolve(perSecond(seen, started));
      },
    });
  });
  const rate = await done;
  await consumer.disconnect();
  return rate;
}

export async function consumePlatformatic(topic: string, count: number): Promise<number> {
  const consumer = new Consumer({
    groupId: `bench-platformatic-${tag}-${Math.random()}`,
    clientId: 'bench-clients',
    bootstrapBrokers: [...endpoints.kafkaBrokers],
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let seen = 0;
  let started = 0;
  const rate = await new Promise<number>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (message: { value: Buffer }) => {
      if (seen === 0) started = performance.now();
      seen += 1;
      const finish = () => seen === count && resolve(perSecond(seen, started));
      if (serde.decodeKnown(message.value, reader))
        finish(); // the aggregator's decode path
      else void serde.decode(message.value, reader).then(finish); // until the writer schema is fetched
    });
  });
  await stream.close();
  await consumer.close(true);
  return rate;
}
