import { pino } from 'pino';
import { AvroSerde, GAME_STREAM } from '@rta/event-schemas';
import { gameEvent } from '@rta/event-schemas/testing';
import { gameMetrics } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import type { ResultSink, SinkItem } from '@rta/sink-core';
import { PostgresCheckpointStore } from '@rta/sink-postgres';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';
import type { WindowResult } from '@rta/windowing';
import { Aggregator } from './aggregator';
import { gameStream } from './streams';
import { Telemetry } from './telemetry';

/**
 * A sink slower than the stream (Elasticsearch busy, a backlog drained): consumption goes on while
 * a write is in flight, and what arrived meanwhile lands, coalesced, with the next write.
 */
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({ brokers: endpoints.kafkaBrokers, clientId: 'slow-sink-spec' });
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const run = Date.now().toString(36);
const topic = `slow-sink-spec-${run}`;
const WAVE = 10;
const T0 = Date.UTC(2033, 0, 1);
let checkpoints: PostgresCheckpointStore;
let encode: (event: object) => Buffer;

/** Accepts everything at once; `flush` (durability) waits until the test opens the gate. */
class GatedSink implements ResultSink {
  readonly name = 'gated';
  readonly items: SinkItem[] = [];
  writes = 0;
  open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  stores(): boolean {
    return true;
  }
  async write(items: readonly SinkItem[]): Promise<void> {
    this.writes += 1;
    this.items.push(...items);
  }
  async flush(): Promise<void> {
    await this.gate;
  }
  check(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function produceWave(wave: number): Promise<void> {
  const producer = new BatchProducer(kafka, topic);
  await producer.connect();
  const events = Array.from({ length: WAVE }, (_, i) =>
    gameEvent('player_move', {
      event_id: `${run}-${wave}-${i}`,
      timestamp: T0 + (wave * WAVE + i) * 1_000,
      direction: 'north',
    }),
  );
  await producer.send(events.map((event) => ({ key: null, value: encode(event) })));
  await producer.disconnect();
}

async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await ensureTopics(kafka, [{ topic, partitions: 1, replicationFactor: 1 }]);
  encode = await serde.encoderFor(
    await serde.register(topic, GAME_STREAM.schemaVersions.at(-1) as object),
  );
  checkpoints = await PostgresCheckpointStore.open({
    connection: { connectionString: endpoints.databaseUrl },
  });
}, 60_000);

afterAll(() => checkpoints.close());

it('consumes on while a sink write is in flight, then writes what came meanwhile in one go', async () => {
  const sink = new GatedSink();
  const telemetry = new Telemetry();
  const aggregator = new Aggregator(
    {
      groupId: `${topic}-group`,
      streams: [gameStream(topic, gameMetrics())],
      deadLetterTopic: `${topic}-dlq`,
      lateTopic: `${topic}-late`,
      flushIntervalMs: 50,
      checkpointIntervalMs: 3_600_000,
      processor: {
        dedupeHorizonMs: 3_600_000,
        maxEventAgeMs: Infinity,
        maxEventFutureMs: Infinity,
      },
    },
    { kafka, serde, sinks: [sink], checkpoints, telemetry, log: pino({ level: 'warn' }) },
  );
  const consumed = async () =>
    (await telemetry.eventsIn.get()).values.reduce((n, v) => n + v.value, 0);
  await produceWave(0);
  await aggregator.start();
  try {
    await until(
      'the first wave in a write',
      async () => (await consumed()) === WAVE && sink.writes > 0,
    );
    await new Promise((r) => setTimeout(r, 500)); // many flush intervals pass with that write in flight
    await produceWave(1);
    await until('the second wave consumed', async () => (await consumed()) === 2 * WAVE);
    expect(sink.writes).toBe(1);
    sink.open();
    await until('the second write', () => sink.writes === 2);
  } finally {
    sink.open();
    expect(await aggregator.stop(30_000)).toEqual({ kind: 'clean' });
  }
  const counts = sink.items.filter(
    (i): i is WindowResult => i.kind === 'result' && i.metric === 'game_live_event_count',
  );
  const latest = new Map(counts.map((r) => [r.id, r.values['event_count']]));
  expect([...latest.values()].reduce((n: number, v) => n + Number(v), 0)).toBe(2 * WAVE);
}, 60_000);
