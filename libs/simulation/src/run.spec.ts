import fc from 'fast-check';
import { drawDelayMs, malform, MALFORMED_KINDS, NO_CHAOS } from './chaos';
import { GameScenario } from './game';
import { Rng } from './rng';
import { DumpRecord, OutgoingMessage, runSimulation } from './run';
import { VirtualClock } from './virtual-clock';
import type { GameEvent } from '@rta/event-schemas';

const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('VirtualClock', () => {
  it('spaces events by 1/rate and multiplies the rate inside bursts', () => {
    const clock = new VirtualClock(T0, {
      ratePerSec: 10,
      burst: { everyMs: 1_000, durationMs: 200, factor: 4 },
    });
    const times = Array.from({ length: 12 }, () => clock.tick() - T0);
    expect(times).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200, 300, 400, 500]);
  });

  it('places event n at start + n/rate without bursts, whatever the rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(5_000), (rate, n) => {
        const clock = new VirtualClock(T0, { ratePerSec: rate });
        for (let i = 0; i < n; i += 1) clock.tick();
        expect(Math.abs(clock.tick() - (T0 + Math.floor((n * 1000) / rate)))).toBeLessThanOrEqual(
          1,
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('chaos', () => {
  it('keeps delays inside their bounds', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('uniform' as const, 'exponential' as const),
        (seed, delayDistribution) => {
          const rng = new Rng(seed);
          const ooo = drawDelayMs(rng, {
            ...NO_CHAOS,
            outOfOrderRatio: 1,
            outOfOrderMaxDelayMs: 5_000,
            delayDistribution,
          });
          expect(ooo).toBeGreaterThanOrEqual(0);
          expect(ooo).toBeLessThanOrEqual(5_000);
          const late = drawDelayMs(rng, { ...NO_CHAOS, lateRatio: 1, lateDelayMs: 60_000 });
          expect(late).toBeGreaterThanOrEqual(60_000);
          expect(late).toBeLessThanOrEqual(90_000);
        },
      ),
    );
    expect(drawDelayMs(new Rng(1), NO_CHAOS)).toBe(0);
  });

  it('corrupts a framed message in each named way', () => {
    const valid = Buffer.from([0, 0, 0, 0, 7, 2, 65, 66, 67, 68]);
    const out = Object.fromEntries(
      MALFORMED_KINDS.map((k) => [k, malform(valid, k, new Rng(1), { a: 1 })]),
    );
    expect(out['bad_magic_byte']?.[0]).toBe(1);
    expect(out['unknown_schema_id']?.readUInt32BE(1)).toBe(0x7fffffff);
    expect(out['truncated_body']?.length).toBeLessThan(valid.length);
    expect(out['not_avro']?.subarray(0, valid.length)).toEqual(valid); // a whole record, then bytes left over
    expect(out['json']?.toString()).toBe('{"a":1}');
  });
});

describe('runSimulation', () => {
  const encode = (e: GameEvent) => Buffer.from(e.event_id);
  async function simulate(count: number, chaos = NO_CHAOS, seed = 3) {
    const sent: OutgoingMessage[] = [];
    const dumped: DumpRecord<GameEvent>[] = [];
    const stats = await runSimulation({
      scenario: new GameScenario(new Rng(seed), { players: 50 }),
      rng: new Rng(seed + 1),
      plan: { ratePerSec: 1_000 },
      startTimeMs: T0,
      unpaced: true,
      count,
      chaos,
      batchSize: 64,
      encode,
      send: async (batch) => void sent.push(...batch),
      dump: (r) => void dumped.push(r),
    });
    return { sent, dumped, stats };
  }

  it('sends exactly `count` messages and dumps each one, in order', async () => {
    const { sent, dumped, stats } = await simulate(1_000);
    expect(sent).toHaveLength(1_000);
    expect(stats).toMatchObject({ messages: 1_000, events: 1_000, duplicates: 0, malformed: 0 });
    expect(dumped.map((d) => ('event' in d ? d.event.event_id : ''))).toEqual(
      sent.map((m) => m.value.toString()),
    );
  });

  it('adds duplicates and malformed messages on top of good events, still exactly `count`', async () => {
    const { sent, dumped, stats } = await simulate(2_000, {
      ...NO_CHAOS,
      duplicateRatio: 0.1,
      malformedRatio: 0.05,
    });
    expect(sent).toHaveLength(2_000);
    expect(stats.duplicates).toBeGreaterThan(100);
    expect(stats.malformed).toBeGreaterThan(40);
    expect(stats.events + stats.duplicates + stats.malformed).toBe(2_000);
    expect(dumped.filter((d) => 'duplicate' in d)).toHaveLength(stats.duplicates);
  });

  it('stamps event time from the virtual clock, minus any chaos delay', async () => {
    const { dumped } = await simulate(100);
    expect(dumped.map((d) => ('event' in d ? d.event.timestamp - T0 : -1))).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    const late = await simulate(500, { ...NO_CHAOS, lateRatio: 0.2, lateDelayMs: 600_000 });
    const lateOnes = late.dumped.filter((d) => 'event' in d && d.event.timestamp < T0);
    expect(lateOnes.length).toBeGreaterThan(50);
  });

  it('is reproducible for a seed', async () => {
    const chaos = {
      ...NO_CHAOS,
      outOfOrderRatio: 0.2,
      outOfOrderMaxDelayMs: 2_000,
      duplicateRatio: 0.05,
      malformedRatio: 0.02,
    };
    expect((await simulate(800, chaos, 9)).dumped).toEqual((await simulate(800, chaos, 9)).dumped);
  });

  it('paces to the rate when asked, and stops on abort', async () => {
    const controller = new AbortController();
    const sent: OutgoingMessage[] = [];
    setTimeout(() => controller.abort(), 300);
    const stats = await runSimulation({
      scenario: new GameScenario(new Rng(1), { players: 10 }),
      rng: new Rng(2),
      plan: { ratePerSec: 100 },
      startTimeMs: T0,
      unpaced: false,
      encode,
      send: async (b) => void sent.push(...b),
      signal: controller.signal,
    });
    expect(stats.messages).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(0);
    // Paced: never ahead of the plan (100/s) over the time it ran, whatever the machine's load.
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((100 * stats.elapsedMs) / 1000) + 1);
  });
});
