import { loadServiceEndpoints } from '@rta/service-config';
import { BatchProducer, createKafka, ensureTopics, StreamIoError } from './index';

const kafka = createKafka({ brokers: loadServiceEndpoints().kafkaBrokers, clientId: 'stream-io-test' });
const topic = `test-stream-io-${Date.now().toString(36)}`;

describe('stream-io against the real broker', () => {
  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a missing topic once, then reports it as existing with its real partition count', async () => {
    const spec = { topic, partitions: 4, replicationFactor: 1 };
    expect(await ensureTopics(kafka, [spec])).toEqual({ created: [topic], existing: [] });
    expect(await ensureTopics(kafka, [{ ...spec, partitions: 8 }])).toEqual({ created: [], existing: [{ topic, partitions: 4 }] });
  });

  it('produces keyed batches that all land (the offsets add up)', async () => {
    const producer = new BatchProducer(kafka, topic);
    await producer.connect();
    const batch = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, value: Buffer.from(String(i)) }));
    await producer.send(batch);
    await producer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(200);
  });

  it('sends a burst far above the broker\'s request limit completely (one key, one partition)', async () => {
    const producer = new BatchProducer(kafka, topic);
    await producer.connect();
    const value = Buffer.alloc(1_000, 7);
    await producer.send(Array.from({ length: 4_000 }, () => ({ key: 'one-key', value }))); // ≈ 4 MB, the broker takes 1 MiB per batch
    await producer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(200 + 4_000);
  });

  it('fails with a typed error when the topic does not exist (no auto-creation)', async () => {
    const producer = new BatchProducer(kafka, `${topic}-missing`);
    await producer.connect();
    await expect(producer.send([{ key: 'k', value: Buffer.from('v') }])).rejects.toThrow(StreamIoError);
    await producer.disconnect();
  }, 120_000);
});
