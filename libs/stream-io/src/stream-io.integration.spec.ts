import { loadServiceEndpoints } from '@rta/service-config';
import { BatchProducer, createStreamClient, ensureTopics, StreamIoError } from './index';

const client = createStreamClient({
  brokers: loadServiceEndpoints().kafkaBrokers,
  clientId: 'stream-io-test',
});
const topic = `test-stream-io-${Date.now().toString(36)}`;

async function recordsInTopic(): Promise<number> {
  const admin = client.admin();
  await admin.connect();
  try {
    return (await admin.topicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('stream-io against the real broker', () => {
  afterAll(async () => {
    const admin = client.admin();
    await admin.connect();
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a missing topic once, then reports it as existing, as it is', async () => {
    const spec = { topic, partitions: 4, replicationFactor: 1 };
    expect(await ensureTopics(client, [spec])).toEqual({ created: [topic], existing: [] });
    expect(await ensureTopics(client, [{ ...spec, partitions: 8 }])).toEqual({
      created: [],
      existing: [{ topic, partitions: 4 }],
    });
  });

  it('produces keyed batches that all land (the offsets add up)', async () => {
    const producer = new BatchProducer(client, topic);
    await producer.connect();
    const batch = Array.from({ length: 200 }, (_, i) => ({
      key: `k${i % 7}`,
      value: Buffer.from(String(i)),
    }));
    await producer.send(batch);
    await producer.disconnect();
    expect(await recordsInTopic()).toBe(200);
  });

  it("sends a burst far above the broker's request limit whole (one key)", async () => {
    const producer = new BatchProducer(client, topic);
    await producer.connect();
    const value = Buffer.alloc(1_000, 7);
    // ≈ 4 MB, the broker takes 1 MiB per batch
    await producer.send(Array.from({ length: 4_000 }, () => ({ key: 'one-key', value })));
    await producer.disconnect();
    expect(await recordsInTopic()).toBe(200 + 4_000);
  });

  it('fails with a typed error when the topic does not exist (no auto-creation)', async () => {
    const producer = new BatchProducer(client, `${topic}-missing`);
    await producer.connect();
    const sent = producer.send([{ key: 'k', value: Buffer.from('v') }]);
    await expect(sent).rejects.toThrow(StreamIoError);
    await expect(sent).rejects.toMatchObject({
      code: 'PRODUCE_FAILED',
      message: expect.stringContaining(`${topic}-missing`),
    });
    await producer.disconnect();
  }, 120_000);
});
