import { randomUUID } from 'node:crypto';
import { App, startApp, until } from '@rta/app-processes';
import {
  AvroSerde,
  ECOMMERCE_STREAM,
  GAME_STREAM,
  type EcommerceEvent,
  type EventStream,
  type GameEvent,
} from '@rta/event-schemas';
import { ecommerceEvent, gameEvent } from '@rta/event-schemas/testing';
import { loadServiceEndpoints } from '@rta/service-config';
import { BatchProducer, createStreamClient, ensureTopics } from '@rta/stream-io';

/**
 * The tail as a real process (as `nx run aggregator:tail` starts it) against the real Kafka and
 * registry: known events in a topic of each test's own, the exact lines printed, and what the
 * filters, --max and the start position must leave out.
 */
const endpoints = loadServiceEndpoints();
const kafka = createStreamClient({ brokers: endpoints.kafkaBrokers, clientId: 'tail-e2e' });
const serde = AvroSerde.forUrl(endpoints.schemaRegistryUrl);
const run = `${Date.now().toString(36)}-${randomUUID().slice(0, 4)}`;
const topics: string[] = [];
const running: App[] = [];

/** Event times of the day 2030-01-01 (the tail prints them in UTC). */
const at = (hms: string) => Date.parse(`2030-01-01T${hms}Z`);
const player = (
  type: GameEvent['event_type'],
  id: string,
  time: string,
  o: Partial<GameEvent> = {},
) => gameEvent(type, { event_id: randomUUID(), player_id: id, timestamp: at(time), ...o });
const customer = (
  type: EcommerceEvent['event_type'],
  id: string,
  time: string,
  o: Partial<EcommerceEvent> = {},
) => ecommerceEvent(type, { event_id: randomUUID(), customer_id: id, timestamp: at(time), ...o });

/** Raw bytes instead of an event: what the tail must report and step over. */
interface Raw {
  readonly key: string;
  readonly raw: Buffer;
}

interface TailProcess {
  readonly app: App;
  readonly lines: () => string[];
  readonly stderr: () => string;
}

afterAll(async () => {
  for (const app of running) if (app.child.exitCode === null) app.child.kill('SIGKILL');
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics(topics).catch(() => undefined);
  await admin.disconnect();
});

function topicName(name: string): string {
  const topic = `e2e-tail-${run}-${name}`;
  topics.push(topic);
  return topic;
}

/**
 * Creates `topic` (3 partitions) if needed and produces `items` in order, encoded with the stream's
 * current schema.
 */
async function produce<E extends GameEvent | EcommerceEvent>(
  topic: string,
  stream: EventStream<E>,
  items: readonly (E | Raw)[],
): Promise<void> {
  await ensureTopics(kafka, [{ topic, partitions: 3, replicationFactor: 1 }]);
  const schemaId = await serde.register(topic, stream.schemaVersions.at(-1) as object);
  const encode = await serde.encoderFor(schemaId);
  const producer = new BatchProducer(kafka, topic);
  await producer.connect();
  try {
    await producer.send(
      items.map((item) =>
        'raw' in item
          ? { key: item.key, value: item.raw }
          : { key: stream.keyOf(item), value: encode(item) },
      ),
    );
  } finally {
    await producer.disconnect();
  }
}

/**
 * `nx run aggregator:tail -- <args>`, with stdout (the events) kept apart from stderr (status,
 * undecodable records).
 */
function tail(args: readonly string[]): TailProcess {
  const app = startApp('aggregator', args, { entry: 'apps/aggregator/src/tail/main.ts' });
  running.push(app);
  let stdout = '';
  let stderr = '';
  app.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  app.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { app, lines: () => stdout.split('\n').filter(Boolean), stderr: () => stderr };
}

/** Its exit code; fails with what it printed when it does not exit in time. */
async function exitOf(t: TailProcess, timeoutMs = 90_000): Promise<number | null> {
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), timeoutMs).unref(),
  );
  const code = await Promise.race([t.app.exited, timeout]);
  if (code === 'timeout')
    throw new Error(
      `the tail did not exit; stdout:\n${t.lines().join('\n')}\nstderr:\n${t.stderr()}`,
    );
  return code;
}

/** The group the tail announced, after checking it is one of its own. */
function groupOf(t: TailProcess): string {
  const group = /group (rta-tail-[0-9a-f]{8}) \(commits nothing\)/.exec(t.stderr())?.[1];
  if (!group) throw new Error(`no group announced:\n${t.stderr()}`);
  return group;
}

/** Offsets the group committed on `topic`: none at all is -1 on every partition. */
async function committed(group: string, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.committedOffsets(group, topic)).map((p) => p.offset);
  } finally {
    await admin.disconnect();
  }
}

describe('tail against the real broker and registry', () => {
  it('prints game events as sentences from the beginning, filtered by type and key, reports undecodable records and stops at --max', async () => {
    const topic = topicName('game');
    await produce(topic, GAME_STREAM, [
      player('player_move', 'p-12', '12:00:03.120', { direction: 'north' }),
      player('item_collect', 'p-12', '12:00:04.000', { item_id: 'gem' }), // --type leaves it out
      { key: 'p-12', raw: Buffer.from('{"player_id":"p-12"}') }, // JSON, not Avro: offset 2 of p-12's partition
      player('item_purchase', 'p-7', '12:00:05.000', {
        region: 'NA',
        item_id: 'sword',
        price_minor: 499,
        currency: 'EUR',
      }), // --key leaves it out
      player('player_attack', 'p-12', '12:00:06.250', { target: 'dragon' }),
      player('level_up', 'p-12', '12:00:07.000', { player_level: 18 }), // --type leaves it out
      player('item_purchase', 'p-12', '12:00:08.500', {
        item_id: 'sword',
        price_minor: 499,
        currency: 'EUR',
      }),
      player('player_move', 'p-12', '12:00:09.000', { direction: 'south' }), // after --max 3
    ]);

    const t = tail([
      '--topic',
      topic,
      '--from-beginning',
      '--type',
      'player_move,player_attack,item_purchase',
      '--key',
      'p-12',
      '--max',
      '3',
    ]);
    expect(await exitOf(t)).toBe(0);
    expect(t.lines()).toEqual([
      '12:00:03.120 p-12 (EU) moved north',
      '12:00:06.250 p-12 (EU) attacked dragon',
      '12:00:08.500 p-12 (EU) bought sword for 4.99 EUR',
    ]);
    expect(t.stderr()).toMatch(
      /^! \d+@2: BAD_MAGIC_BYTE: first byte is 123, not the Confluent magic byte 0$/m,
    );
    expect(t.stderr()).toContain(`[tail] ${topic}: 3 partitions, from the oldest retained event`);
    expect(t.stderr()).toContain('[tail] stopped after 3 events');
    expect(await committed(groupOf(t), topic)).toEqual(['-1', '-1', '-1']);
  });

  it('reads an e-commerce topic by its writer schema: --json records and sentences, two tails side by side', async () => {
    const topic = topicName('shop');
    const events = [
      customer('user_login', 'cust-001', '09:30:00.000'),
      customer('purchase', 'cust-002', '09:30:01.000'), // --key leaves it out
      customer('purchase', 'cust-001', '09:30:02.000', { coupon_code: 'SPRING10' }),
      customer('page_view', 'cust-001', '09:30:03.000'), // --type leaves it out
      customer('search', 'cust-001', '09:30:04.000', {
        subdivision: null,
        location: 'DE',
        device: 'desktop',
      }),
    ];
    await produce(topic, ECOMMERCE_STREAM, events);

    const json = tail([
      '--topic',
      topic,
      '--from-beginning',
      '--json',
      '--type',
      'purchase,search',
      '--key',
      'cust-001',
      '--max',
      '2',
    ]);
    const text = tail([
      '--topic',
      topic,
      '--from-beginning',
      '--type',
      'purchase,search',
      '--key',
      'cust-001',
      '--max',
      '2',
    ]);
    expect(await exitOf(json)).toBe(0);
    expect(await exitOf(text)).toBe(0);
    expect(json.lines().map((l) => JSON.parse(l))).toEqual([events[2], events[4]]);
    expect(text.lines()).toEqual([
      '09:30:02.000 cust-001 (US-NY, mobile) bought 2 x prod-laptop-001 (electronics) for 1999.98 USD with card (coupon SPRING10)',
      '09:30:04.000 cust-001 (DE, desktop) searched "laptop": 42 results, clicked #2',
    ]);
    expect(groupOf(json)).not.toBe(groupOf(text)); // a group per run: neither takes partitions from the other
  });

  it('by default prints only events that arrive after it starts, and disconnects cleanly on SIGINT', async () => {
    const topic = topicName('live');
    await produce(topic, GAME_STREAM, [player('player_join', 'p-9', '11:59:00.000')]); // before the tail: not printed

    const t = tail(['--topic', topic, '--key', 'p-9']);
    await until(
      'the tail to listen',
      () =>
        t.stderr().includes(`[tail] ${topic}: 3 partitions, new events only`) ||
        t.app.child.exitCode !== null
          ? true
          : undefined,
      90_000,
    );
    await produce(topic, GAME_STREAM, [
      player('match_start', 'p-9', '12:01:00.000', { map: 'arena' }),
      player('enemy_defeated', 'p-9', '12:01:02.500', { enemy_type: 'goblin' }),
    ]);
    await until('two new events', () => (t.lines().length >= 2 ? true : undefined), 60_000).catch(
      () => undefined,
    );

    t.app.child.kill('SIGINT');
    expect(await exitOf(t, 30_000)).toBe(0);
    expect(t.lines()).toEqual([
      '12:01:00.000 p-9 (EU) started a match on arena',
      '12:01:02.500 p-9 (EU) defeated goblin',
    ]);
    expect(t.stderr()).toContain('[tail] SIGINT: leaving the group and disconnecting');
    expect(t.stderr()).toContain('[tail] stopped after 2 events');
    expect(await committed(groupOf(t), topic)).toEqual(['-1', '-1', '-1']);
  });

  it('waits for a topic that does not exist yet, then prints it from its first event', async () => {
    const topic = topicName('later');
    const t = tail(['--topic', topic, '--max', '2']);
    await until(
      'the tail to wait for the topic',
      () =>
        t.stderr().includes(`topic ${topic} does not exist yet`) || t.app.child.exitCode !== null
          ? true
          : undefined,
      90_000,
    );
    await produce(topic, GAME_STREAM, [
      player('player_join', 'p-1', '08:00:00.000'),
      player('player_leave', 'p-1', '08:00:30.000'),
    ]);

    expect(await exitOf(t)).toBe(0);
    expect(t.lines()).toEqual([
      '08:00:00.000 p-1 (EU) joined at level 17',
      '08:00:30.000 p-1 (EU) left at level 17',
    ]);
    expect(t.stderr()).toContain('new topic, from its first event');
  });
});
