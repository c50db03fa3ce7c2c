import { loadServiceEndpoints } from '@rta/service-config';
import {
  BatchProducer,
  createStreamClient,
  ensureTopics,
  partitionKey,
  type SourceRecord,
  type TopicPartition,
} from './index';

/** Against the real broker: assignment callbacks, resume offsets, rebalancing of two members. */
const client = createStreamClient({
  brokers: loadServiceEndpoints().kafkaBrokers,
  clientId: 'source-test',
});
const topic = `test-source-${Date.now().toString(36)}`;
const group = `${topic}-group`;

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await ensureTopics(client, [{ topic, partitions: 4, replicationFactor: 1 }]);
  const producer = new BatchProducer(client, topic);
  await producer.connect();
  await producer.send(
    Array.from({ length: 80 }, (_, i) => ({ key: `k${i % 8}`, value: Buffer.from(String(i)) })),
  );
  await producer.disconnect();
});

afterAll(async () => {
  const admin = client.admin();
  await admin.connect();
  await admin.deleteTopics([topic]).catch(() => undefined);
  await admin.disconnect();
});

it('delivers per partition from resume offsets, moves partitions, commits on demand', async () => {
  const seen: SourceRecord[] = [];
  const events: string[] = [];
  const member = (name: string, resumePartition0At?: string) => {
    const source = client.source({ groupId: group, topics: [topic] });
    void source.start({
      onAssign: async (tps: readonly TopicPartition[]) => {
        events.push(
          `${name}+${tps
            .map((t) => t.partition)
            .sort()
            .join(',')}`,
        );
        const p0 = tps.find((t) => t.partition === 0);
        return p0 && resumePartition0At
          ? new Map([[partitionKey(p0), resumePartition0At]])
          : undefined;
      },
      onRevoke: async (tps: readonly TopicPartition[]) =>
        void events.push(
          `${name}-${tps
            .map((t) => t.partition)
            .sort()
            .join(',')}`,
        ),
      onBatch: async (records) => {
        seen.push(...records);
        await source.commit([
          {
            topic,
            partition: records[0]?.partition as number,
            offset: String(BigInt(records.at(-1)?.offset as string) + 1n),
          },
        ]);
      },
    });
    return source;
  };

  const a = member('a', '5');
  await until(() => seen.length >= 75);
  expect(events[0]).toBe('a+0,1,2,3');
  const partition0 = seen.filter((r) => r.partition === 0).map((r) => Number(r.offset));
  expect(Math.min(...partition0)).toBe(5); // resumed where the "checkpoint" said
  for (const p of [0, 1, 2, 3]) {
    const offsets = seen.filter((r) => r.partition === p).map((r) => Number(r.offset));
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
  }

  const b = member('b');
  await until(() => events.some((e) => e.startsWith('b+')));
  await until(() => events.some((e) => e.startsWith('a-')));
  expect(a.assignment.length + b.assignment.length).toBe(4);
  expect(a.assignment.length).toBeGreaterThan(0);
  expect(b.assignment.length).toBeGreaterThan(0);

  // A commit in flight when the group rebalanced may be refused; the new owner re-reads from the
  // last committed offset (at least once) and commits: in the end every partition is committed.
  const admin = client.admin();
  await admin.connect();
  let committed = 0;
  for (let i = 0; i < 300 && committed !== 80; i += 1) {
    const offsets = await admin.committedOffsets(group, topic);
    committed = offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    await new Promise((r) => setTimeout(r, 200));
  }
  await admin.disconnect();
  await Promise.all([a.stop(), b.stop()]);
  expect(committed).toBe(80);
}, 180_000);
