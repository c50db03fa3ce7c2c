import { pino } from 'pino';
import { AvroSerde, GameEvent, GAME_STREAM } from '@rta/event-schemas';
import { gameEvent } from '@rta/event-schemas/testing';
import { build, BuiltMetric, GAME_CATALOG, gameMetrics } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import { PostgresCheckpointStore, PostgresSink } from '@rta/sink-postgres';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';
import { AnyAggregator, count, sum } from '@rta/windowing';
import { Aggregator } from './aggregator';
import { gameStream } from './streams';
import { Telemetry } from './telemetry';

/**
 * A catalog edit between two runs of one consumer group, against the real services: the restart
 * is exact (aggregates matched by name), or refused with the way out, which then works.
 */
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({
  brokers: endpoints.kafkaBrokers,
  clientId: 'catalog-edit-spec',
});
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const run = Date.now().toString(36);
const topic = `catalog-edit-spec-${run}`;
const groupId = `${topic}-group`;
const NAME = 'game_events_per_region';
// A minute of its own, far from other tests' rows in the shared table.
const T0 = Date.UTC(2034, 0, 1) + (Date.now() % 100_000) * 60_000;
const base = gameMetrics().find((m) => m.metric.name === NAME) as BuiltMetric<GameEvent>;
let postgres: PostgresSink;
let checkpoints: PostgresCheckpointStore;
let produced = 0;

function edited(aggregate: Record<string, AnyAggregator<GameEvent>>): BuiltMetric<GameEvent> {
  const entry = GAME_CATALOG.find((e) => e.spec.name === NAME) as (typeof GAME_CATALOG)[number];
  return { ...base, metric: build({ ...entry, spec: { ...entry.spec, aggregate } }).metric };
}

async function produce(n: number): Promise<void> {
  const encode = await serde.encoderFor(
    await serde.register(topic, GAME_STREAM.schemaVersions.at(-1) as object),
  );
  const producer = new BatchProducer(kafka, topic);
  await producer.connect();
  const records = Array.from({ length: n }, (_, i) => {
    const event = gameEvent('player_move', {
      event_id: `${run}-${produced + i}`,
      timestamp: T0 + (produced + i) * 100,
      region: 'EU',
    });
    return { key: null, value: encode(event) };
  });
  await producer.send(records);
  await producer.disconnect();
  produced += n;
}

/**
 * One run of the group: consumes everything produced so far, stops gracefully (final checkpoint).
 */
async function runGroup(
  built: BuiltMetric<GameEvent>,
  resetMetrics?: ReadonlySet<string>,
): Promise<void> {
  const telemetry = new Telemetry();
  const aggregator = new Aggregator(
    {
      groupId,
      streams: [gameStream(topic, [built])],
      deadLetterTopic: `${topic}-dlq`,
      lateTopic: `${topic}-late`,
      flushIntervalMs: 100,
      checkpointIntervalMs: 3_600_000,
      processor: { maxEventAgeMs: Infinity, maxEventFutureMs: Infinity, resetMetrics },
    },
    { kafka, serde, sinks: [postgres], checkpoints, telemetry, log: pino({ level: 'error' }) },
  );
  const failures: Error[] = [];
  aggregator.onFailure((error) => failures.push(error));
  await aggregator.start();
  const lag = async () =>
    (await telemetry.consumerLag.get()).values.reduce((n, v) => n + v.value, 0);
  const seen = async () => (await telemetry.consumerLag.get()).values.length > 0;
  while (failures.length === 0 && !((await seen()) && (await lag()) === 0))
    await new Promise((r) => setTimeout(r, 100));
  if (failures.length > 0) {
    await aggregator.stop(30_000).catch(() => undefined);
    throw failures[0];
  }
  expect(await aggregator.stop(30_000)).toEqual({ kind: 'clean' });
}

async function storedCount(): Promise<number> {
  const { rows } = await postgres.database.query<{ n: string }>(
    `SELECT sum(event_count)::text AS n FROM game_events_per_region_by_partition WHERE window_start >= $1 AND window_start < $2`,
    [new Date(T0 - 60_000), new Date(T0 + 3_600_000)],
  );
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  await ensureTopics(kafka, [{ topic, partitions: 1, replicationFactor: 1 }]);
  postgres = await PostgresSink.open({
    connection: { connectionString: endpoints.databaseUrl },
    tables: [base.postgres as NonNullable<BuiltMetric<GameEvent>['postgres']>],
  });
  checkpoints = await PostgresCheckpointStore.open({
    connection: { connectionString: endpoints.databaseUrl },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([postgres.close(), checkpoints.close()]);
});

it('restarts exactly after aggregates were reordered and one added, refuses a changed one, and resets on request', async () => {
  await produce(30);
  await runGroup(edited({ event_count: count() }));
  expect(await storedCount()).toBe(30);

  // Positional state would hand event_count's 30 to `spare` and start event_count from zero.
  await produce(20);
  await runGroup(edited({ spare: count(), event_count: count() }));
  expect(await storedCount()).toBe(50);

  await produce(5);
  const changed = edited({ spare: count(), event_count: sum((e) => e.price_minor ?? undefined) });
  await expect(runGroup(changed)).rejects.toMatchObject({
    code: 'CHECKPOINT_UNREADABLE',
    message: expect.stringMatching(
      /aggregate event_count was saved as count, it is now sum.*--reset-state game_events_per_region/,
    ),
  });
  expect(await storedCount()).toBe(50);

  // Reset: the metric starts over at the checkpoint; the minutes already past are not rewritten.
  await runGroup(edited({ spare: count(), event_count: count() }), new Set([NAME]));
  expect(await storedCount()).toBe(50);
}, 180_000);
