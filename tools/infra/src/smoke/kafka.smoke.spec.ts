import { Admin, Kafka, logLevel } from 'kafkajs';
import { loadServiceEndpoints } from '@rta/service-config';
import { ensureTopics } from '@rta/stream-io';
import { requireService, uniqueName } from './service-required';

const { kafkaBrokers } = loadServiceEndpoints();
const kafka = new Kafka({ clientId: 'rta-smoke', brokers: [...kafkaBrokers], logLevel: logLevel.ERROR });

describe('Kafka (real broker): kafkajs produces and consumes', () => {
  const topic = uniqueName('smoke');
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await requireService('Kafka', kafkaBrokers.join(','), () => admin.connect());
    // The project's own topic setup: a just-started KRaft broker may not list a topic it just created (kafkajs does not retry that).
    await ensureTopics(kafka, [{ topic, partitions: 3, replicationFactor: 1 }]);
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reports a KRaft broker that does not auto-create topics', async () => {
    const cluster = await admin.describeCluster();
    console.info(`Kafka cluster ${cluster.clusterId}: ${cluster.brokers.length} broker(s)`);
    expect(cluster.brokers).toHaveLength(1);
    const [config] = (await admin.describeConfigs({
      resources: [{ type: 4 /* BROKER */, name: String(cluster.brokers[0]?.nodeId), configNames: ['auto.create.topics.enable'] }],
      includeSynonyms: false,
    })).resources;
    expect(config?.configEntries[0]?.configValue).toBe('false');
  });

  it('delivers every produced message to a consumer group, in order per key', async () => {
    const sent = Array.from({ length: 60 }, (_, i) => ({ key: `player-${i % 6}`, value: `event-${i}` }));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, messages: sent });
    await producer.disconnect();

    const received = await consumeAll(topic, sent.length);
    expect(received.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    for (const key of new Set(sent.map((m) => m.key))) {
      const order = (list: { key: string; value: string }[]) => list.filter((m) => m.key === key).map((m) => m.value);
      expect(order(received)).toEqual(order(sent));
    }
  });
});

async function consumeAll(topic: string, expected: number): Promise<{ key: string; value: string }[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
  const received: { key: string; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: String(message.key), value: String(message.value) });
        if (received.length === expected) resolve();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`received ${received.length} of ${expected} messages`)), 60_000);
  });
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return received;
}
