import { pino } from 'pino';
import { AvroSerde, GAME_STREAM } from '@rta/event-schemas';
import { gameEvent } from '@rta/event-schemas/testing';
import { gameMetrics } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import { PostgresCheckpointStore, PostgresSink } from '@rta/sink-postgres';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';
import { Aggregator } from './aggregator';
import { gameStream } from './streams';
import { Telemetry } from './telemetry';

/**
 * A graceful stop against the real services: what it makes durable, and what it reports when
 * fenced.
 */
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({ brokers: endpoints.kafkaBrokers, clientId: 'aggregator-spec' });
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const run = Date.now().toString(36);
const topic = `aggregator-spec-${run}`;
const EVENTS = 20;
const metrics = gameMetrics().filter((m) => m.postgres);
let postgres: PostgresSink;
let checkpoints: PostgresCheckpointStore;

beforeAll(async () => {
  await ensureTopics(kafka, [{ topic, partitions: 1, replicationFactor: 1 }]);
  const encode = await serde.encoderFor(
    await serde.register(topic, GAME_STREAM.schemaVersions.at(-1) as object),
  );
  const producer = new BatchProducer(kafka, topic);
  await producer.connect();
  const t0 = Date.UTC(2033, 0, 1);
  const unkeyed = Array.from({ length: EVENTS }, (_, i) => {
    const event = gameEvent('player_move', {
      event_id: `${run}-${i}`,
      timestamp: t0 + i * 1_000,
      direction: 'north',
    });
    return { key: null, value: encode(event) };
  });
  await producer.send(unkeyed);
  await producer.disconnect();
  postgres = await PostgresSink.open({
    connection: { connectionString: endpoints.databaseUrl },
    tables: metrics.flatMap((m) => (m.postgres ? [m.postgres] : [])),
  });
  checkpoints = await PostgresCheckpointStore.open({
    connection: { connectionString: endpoints.databaseUrl },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([postgres.close(), checkpoints.close()]);
});

/**
 * An aggregator of its own consumer group that has consumed every event, with no checkpoint yet.
 */
async function consumedEverything(
  groupId: string,
): Promise<{ aggregator: Aggregator; failures: Error[] }> {
  const telemetry = new Telemetry();
  const aggregator = new Aggregator(
    {
      groupId,
      streams: [gameStream(topic, metrics)],
      deadLetterTopic: `${topic}-dlq`,
      lateTopic: `${topic}-late`,
      flushIntervalMs: 100,
      checkpointIntervalMs: 3_600_000, // only the stop checkpoints
      processor: {
        dedupeHorizonMs: 3_600_000,
        maxEventAgeMs: Infinity,
        maxEventFutureMs: Infinity,
      },
    },
    { kafka, serde, sinks: [postgres], checkpoints, telemetry, log: pino({ level: 'warn' }) },
  );
  const failures: Error[] = [];
  aggregator.onFailure((error) => failures.push(error));
  await aggregator.start();
  const consumed = async () =>
    (await telemetry.eventsIn.get()).values.reduce((n, v) => n + v.value, 0);
  while ((await consumed()) < EVENTS) await new Promise((r) => setTimeout(r, 100));
  return { aggregator, failures };
}

it('checkpoints everything it consumed when it stops', async () => {
  const groupId = `${topic}-clean`;
  const { aggregator, failures } = await consumedEverything(groupId);
  expect(await aggregator.stop(30_000)).toEqual({ kind: 'clean' });
  expect(failures).toEqual([]);
  const [checkpoint] = await checkpoints.read(groupId, topic, [0]);
  expect(checkpoint?.nextOffset).toBe(String(EVENTS));
}, 60_000);

it('stops without failing, and writes nothing, when another member claimed its partition meanwhile', async () => {
  const groupId = `${topic}-fenced`;
  const { aggregator, failures } = await consumedEverything(groupId);
  await checkpoints.claim(groupId, topic, [0]); // the partition's new owner (as after a missed rebalance)
  const outcome = await aggregator.stop(30_000);
  expect(outcome).toMatchObject({ kind: 'fenced', refusal: { code: 'CHECKPOINT_FENCED' } });
  expect(aggregator.state).toBe('stopped');
  expect(failures).toEqual([]);
  expect(await checkpoints.read(groupId, topic, [0])).toEqual([]);
}, 60_000);
