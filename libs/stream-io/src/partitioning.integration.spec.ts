import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { loadServiceEndpoints } from '@rta/service-config';
import { BatchProducer, createStreamClient, ensureTopics, type Partitioner } from './index';
import { readRecords } from './testing';

/** Against the real broker: the producer chooses every partition, the client keeps to it. */
const client = createStreamClient({
  brokers: loadServiceEndpoints().kafkaBrokers,
  clientId: 'partitioning-test',
});
const run = Date.now().toString(36);
const PARTITIONS = 5;
const topics: string[] = [];

async function freshTopic(name: string): Promise<string> {
  const topic = `test-partitioning-${run}-${name}`;
  topics.push(topic);
  await ensureTopics(client, [{ topic, partitions: PARTITIONS, replicationFactor: 1 }]);
  return topic;
}

async function produce(
  topic: string,
  keys: readonly string[],
  partitioner?: Partitioner,
): Promise<void> {
  const producer = new BatchProducer(client, topic, { partitioner });
  await producer.connect();
  await producer.send(keys.map((key, i) => ({ key, value: Buffer.from(String(i)) })));
  await producer.disconnect();
}

/** Where kafkajs's default partitioner put a key (the choice before this lib made it). */
function kafkajsPartition(key: string): number {
  const partitionMetadata: PartitionMetadata[] = Array.from(
    { length: PARTITIONS },
    (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }),
  );
  return Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata,
    message: { key, value: null },
  });
}

afterAll(async () => {
  const admin = client.admin();
  await admin.connect();
  await admin.deleteTopics(topics).catch(() => undefined);
  await admin.disconnect();
});

it('puts every key on its murmur2 partition, where kafkajs and the Java client do', async () => {
  const topic = await freshTopic('murmur2');
  const keys = Array.from({ length: 300 }, (_, i) => `player-${i % 60}-ü`);
  await produce(topic, keys);
  const records = await readRecords(client, topic, { atLeast: keys.length, settleMs: 500 });
  expect(records).toHaveLength(keys.length);
  const misplaced = records.filter((r) => r.partition !== kafkajsPartition(String(r.key)));
  expect(misplaced).toEqual([]);
  expect(new Set(records.map((r) => r.partition)).size).toBe(PARTITIONS); // the real count was used
});

it("sends each record to the partition the producer's partitioner chose", async () => {
  const topic = await freshTopic('explicit');
  const last: Partitioner = { partition: (_key, partitions) => partitions - 1 };
  await produce(topic, ['a', 'b', 'c', 'd', 'e', 'f'], last);
  const records = await readRecords(client, topic, { atLeast: 6, settleMs: 500 });
  expect(records.map((r) => [String(r.key), r.partition])).toEqual(
    ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, PARTITIONS - 1]),
  );
});
