import { AvroSerde, GAME_STREAM, GameEvent } from '@rta/event-schemas';
import { gameEvent } from '@rta/event-schemas/testing';
import { gameMetrics } from '@rta/metrics-catalog';
import { loadServiceEndpoints } from '@rta/service-config';
import type { SourceRecord } from '@rta/stream-io';
import type { WindowResult } from '@rta/windowing';
import { StreamProcessor } from './stream-processor';
import { gameStream } from './streams';

/**
 * Decode (real registry) → validate → de-duplicate → window, and the state that goes into a
 * checkpoint.
 */
const serde = AvroSerde.forUrl(loadServiceEndpoints().schemaRegistryUrl);
const topic = `pipeline-spec-${Date.now().toString(36)}`;
const t0 = Date.UTC(2033, 0, 1);
let encode: (e: unknown) => Buffer;

beforeAll(async () => {
  encode = await serde.encoderFor(
    await serde.register(topic, GAME_STREAM.schemaVersions.at(-1) as object),
  );
});

let offset = 0;
const record = (value: Buffer | null, partition = 0): SourceRecord => ({
  topic,
  partition,
  offset: String(offset++),
  key: null,
  value,
  headers: {},
  timestampMs: Date.now(),
});
const event = (i: number, overrides: Partial<GameEvent> = {}) =>
  gameEvent('player_move', {
    event_id: `e${i}`,
    timestamp: t0 + i * 1_000,
    direction: 'north',
    ...overrides,
  });
const processor = (dedupe = true) =>
  new StreamProcessor(gameStream(topic, gameMetrics()), serde, {
    dedupeHorizonMs: dedupe ? 3_600_000 : undefined,
    maxEventAgeMs: Infinity,
    maxEventFutureMs: Infinity,
  });
const countOf = (items: ReturnType<StreamProcessor<GameEvent>['collect']>, metric: string) =>
  items
    .filter((i): i is WindowResult => i.kind === 'result' && i.metric === metric)
    .reduce((n, i) => n + Number(i.values['event_count']), 0);

it('dead-letters undecodable and invalid records with their reasons, and counts the good ones around them', async () => {
  const p = processor();
  const bad = [
    record(Buffer.from('{"json":true}')),
    record(null),
    record(encode(event(2, { player_id: '' }))),
  ];
  const outcome = await p.process([record(encode(event(1))), ...bad, record(encode(event(3)))], t0);
  expect(outcome.accepted).toBe(2);
  expect(outcome.deadLetters.map((d) => [d.record.offset, d.reason.code])).toEqual([
    [bad[0]?.offset, 'BAD_MAGIC_BYTE'],
    [bad[1]?.offset, 'EMPTY_MESSAGE'],
    [bad[2]?.offset, 'EMPTY_FIELD'],
  ]);
  expect(countOf(p.collect(t0), 'game_live_event_count')).toBe(2);
});

it('drops repeated event ids when de-duplicating, and counts them otherwise', async () => {
  for (const [dedupe, expected] of [
    [true, 1],
    [false, 2],
  ] as const) {
    const p = processor(dedupe);
    const outcome = await p.process([record(encode(event(1))), record(encode(event(1)))], t0);
    expect({
      dedupe,
      counted: countOf(p.collect(t0), 'game_live_event_count'),
      duplicates: outcome.duplicates,
    }).toEqual({ dedupe, counted: expected, duplicates: 2 - expected });
  }
});

it('routes events late for a window out, with the metrics they missed', async () => {
  const p = processor();
  await p.process([record(encode(event(0))), record(encode(event(3_600)))], t0); // an hour later: the first minute closed
  const outcome = await p.process([record(encode(event(1)))], t0);
  expect(outcome.lateLetters).toHaveLength(1);
  expect(outcome.lateLetters[0]?.reason).toMatchObject({
    code: 'LATE_EVENT',
    message: expect.stringContaining('game_events_per_region'),
  });
  expect(outcome.late.get('game_events_per_region')).toBe(1);
});

it('hands over per-partition progress and state that restores into another processor', async () => {
  const a = processor();
  const records = [record(encode(event(1)), 4), record(encode(event(2)), 4)];
  await a.process(records, t0);
  const [progress] = a.takeProgress();
  expect(progress).toMatchObject({
    partition: 4,
    nextOffset: String(Number(records[1]?.offset) + 1),
  });
  const b = processor();
  a.collect(t0);
  const saved = JSON.parse(JSON.stringify(a.checkpointOf(4)));
  b.assign(
    [4],
    new Map([
      [
        4,
        {
          state: saved.state,
          stateRows: saved.stateChanges.upserts,
          dedupeBuckets: saved.dedupeIds?.added ?? [],
        },
      ],
    ]),
    t0,
  );
  await b.process([record(encode(event(3)), 4), record(encode(event(2)), 4)], t0); // event 2 again: a duplicate the restored state knows
  expect(countOf(b.collect(t0), 'game_live_event_count')).toBe(3);
  expect(() =>
    b.assign(
      [5],
      new Map([
        [
          5,
          {
            state: { engine: { format: 2, partition: 4, metrics: {} } },
            stateRows: [],
            dedupeBuckets: [],
          },
        ],
      ]),
      t0,
    ),
  ).toThrow(/checkpoint of .*:5/);
});
