import { loadServiceEndpoints } from '@rta/service-config';
import { BatchProducer, createStreamClient, ensureTopics, type TopicAdmin } from '@rta/stream-io';
import { readRecords } from '@rta/stream-io/testing';
import { requireService, uniqueName } from './service-required';

const { kafkaBrokers } = loadServiceEndpoints();
const kafka = createStreamClient({
  clientId: 'rta-smoke',
  brokers: kafkaBrokers,
  logLevel: 'error',
});

describe("Kafka (real broker): the project's client produces and consumes", () => {
  const topic = uniqueName('smoke');
  let admin: TopicAdmin;

  beforeAll(async () => {
    admin = kafka.admin();
    await requireService('Kafka', kafkaBrokers.join(','), () => admin.connect());
    // The project's own topic setup: a just-started KRaft broker may not list a topic it just
    // created (the client does not retry that).
    await ensureTopics(kafka, [{ topic, partitions: 3, replicationFactor: 1 }]);
  });

  afterAll(async () => {
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.disconnect();
  });

  it('reports a KRaft broker that does not auto-create topics', async () => {
    const cluster = await admin.describeCluster();
    console.info(`Kafka cluster ${cluster.clusterId}: ${cluster.brokerIds.length} broker(s)`);
    expect(cluster.brokerIds).toHaveLength(1);
    const config = await admin.brokerConfig(cluster.brokerIds[0] as number, [
      'auto.create.topics.enable',
    ]);
    expect(config.get('auto.create.topics.enable')).toBe('false');
  });

  it('delivers every produced message to a consumer group, in order per key', async () => {
    const sent = Array.from({ length: 60 }, (_, i) => ({
      key: `player-${i % 6}`,
      value: `event-${i}`,
    }));
    const producer = new BatchProducer(kafka, topic);
    await producer.connect();
    await producer.send(sent.map((m) => ({ key: m.key, value: Buffer.from(m.value) })));
    await producer.disconnect();

    const records = await readRecords(kafka, topic, { atLeast: sent.length });
    const received = records.map((r) => ({ key: String(r.key), value: String(r.value) }));
    expect(received.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    for (const key of new Set(sent.map((m) => m.key))) {
      const order = (list: { key: string; value: string }[]) =>
        list.filter((m) => m.key === key).map((m) => m.value);
      expect(order(received)).toEqual(order(sent));
    }
  });
});
