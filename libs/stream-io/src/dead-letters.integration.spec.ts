import { loadServiceEndpoints } from '@rta/service-config';
import {
  createStreamClient,
  DEAD_LETTER_HEADERS,
  DeadLetterQueue,
  ensureTopics,
  type SourceRecord,
} from './index';
import { readRecords } from './testing';

const client = createStreamClient({
  brokers: loadServiceEndpoints().kafkaBrokers,
  clientId: 'dlq-test',
});
const topic = `test-dlq-${Date.now().toString(36)}`;

afterAll(async () => {
  const admin = client.admin();
  await admin.connect();
  await admin.deleteTopics([topic]).catch(() => undefined);
  await admin.disconnect();
});

it('keeps the original bytes and headers and says where the record came from and why', async () => {
  await ensureTopics(client, [{ topic, partitions: 1, replicationFactor: 1 }]);
  const dlq = new DeadLetterQueue(client, topic);
  await dlq.connect();
  const original: SourceRecord = {
    topic: 'game-events',
    partition: 4,
    offset: '1234',
    key: Buffer.from([0xff, 0x00, 0x41]),
    value: Buffer.from([1, 2, 3, 0xfe]),
    headers: { trace: 'abc' },
    timestampMs: 0,
  };
  await dlq.send([
    {
      record: original,
      reason: {
        code: 'BAD_MAGIC_BYTE',
        message: 'first byte is 1, not the Confluent magic byte 0',
      },
    },
  ]);
  await dlq.disconnect();

  const [received] = await readRecords(client, topic, { atLeast: 1 });
  expect(received?.key).toEqual(original.key);
  expect(received?.value).toEqual(original.value);
  expect(received?.headers).toEqual({
    trace: 'abc',
    [DEAD_LETTER_HEADERS.topic]: 'game-events',
    [DEAD_LETTER_HEADERS.partition]: '4',
    [DEAD_LETTER_HEADERS.offset]: '1234',
    [DEAD_LETTER_HEADERS.code]: 'BAD_MAGIC_BYTE',
    [DEAD_LETTER_HEADERS.reason]: 'first byte is 1, not the Confluent magic byte 0',
  });
});
