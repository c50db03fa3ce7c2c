import fc from 'fast-check';
import { count, countDistinct, max, min, sum } from './aggregators';
import { WindowingEngine } from './engine';
import { metric } from './metric';
import type { EngineOutput, LateEvent, WindowResult } from './outputs';
import { tumbling } from './fixed-windows';
import { hopping, HoppingWindow } from './pane-windows';
import { session, SessionWindow } from './session-windows';
import type { WindowSpec } from './window-store';

/**
 * The engine against a naive batch computation. Streams are random, with disorder bounded by
 * the watermark delay, so no event is late and every final result must equal the batch answer.
 */
interface Ev {
  p: number;
  t: number;
  key: string;
  v: number;
  user: string;
}

const DELAY = 5_000;
const END_KEY = '~end';
const WINDOWS: Record<string, WindowSpec> = {
  tumbling: tumbling(10_000),
  hopping: hopping(10_000, 2_500),
  session: session(3_000),
};

const metricFor = (window: WindowSpec, emit: 'update' | 'final' = 'update') =>
  metric<Ev>({
    name: 'm',
    eventTime: (e) => e.t,
    window,
    watermarkDelay: DELAY,
    groupBy: ['key'],
    emit,
    aggregate: {
      n: count(),
      total: sum((e) => e.v),
      low: min((e) => e.v),
      high: max((e) => e.v),
      users: countDistinct((e) => e.user),
    },
  });

/** Per partition: times advance by random steps, each event stamped up to DELAY earlier. */
const streamArb = fc
  .array(
    fc.record({
      p: fc.integer({ min: 0, max: 2 }),
      step: fc.integer({ min: 0, max: 1_500 }),
      back: fc.integer({ min: 0, max: DELAY }),
      key: fc.constantFrom('a', 'b', 'c'),
      v: fc.integer({ min: -50, max: 50 }),
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
    }),
    { maxLength: 200, size: 'max' },
  )
  .map((raw) => {
    const clock = [0, 0, 0];
    return raw.map(({ p, step, back, key, v, user }) => {
      clock[p] = (clock[p] as number) + step;
      return { p, t: (clock[p] as number) - back, key, v, user };
    });
  });

/** Ends the stream: one far-future event per partition closes every real window. */
function withEnd(events: Ev[]): Ev[] {
  const last = Math.max(0, ...events.map((e) => e.t)) + 100_000;
  return [...events, ...[0, 1, 2].map((p) => ({ p, t: last, key: END_KEY, v: 0, user: 'end' }))];
}

/** Consecutive runs of one partition's events, as a consumer's fetches would deliver them. */
function batches(events: Ev[], sizes: number[]): Ev[][] {
  const out: Ev[][] = [];
  let i = 0;
  for (let s = 0; i < events.length; s += 1) {
    const size = Math.max(1, sizes[s % Math.max(1, sizes.length)] ?? 1);
    let j = i;
    while (j < events.length && j - i < size && (events[j] as Ev).p === (events[i] as Ev).p) j += 1;
    out.push(events.slice(i, j));
    i = j;
  }
  return out;
}

function feed(engine: WindowingEngine<Ev>, parts: Ev[][]): EngineOutput<Ev>[] {
  engine.assign([0, 1, 2], 0);
  return parts.flatMap((batch) => engine.process((batch[0] as Ev).p, batch, 0));
}

const key = (p: number, start: number, end: number, k: string) => `${p}|${start}|${end}|${k}`;
function finalsOf(outputs: EngineOutput<Ev>[]): Map<string, unknown> {
  const finals = outputs.filter(
    (o): o is WindowResult => o.kind === 'result' && o.final && o.key['key'] !== END_KEY,
  );
  return new Map(
    finals.map((r) => [
      key(r.partition, r.windowStartMs, r.windowEndMs, String(r.key['key'])),
      r.values,
    ]),
  );
}

/** The naive oracle: group every event into its windows, then aggregate each group from scratch. */
function batchAnswer(window: WindowSpec, events: Ev[]): Map<string, unknown> {
  const groups = new Map<string, Ev[]>();
  const put = (k: string, e: Ev) => groups.set(k, [...(groups.get(k) ?? []), e]);
  if (window.kind !== 'session') {
    const { sizeMs, advanceMs: step } = window as HoppingWindow; // tumbling: advance = size
    for (const e of events) {
      for (let s = Math.floor((e.t - sizeMs) / step) * step; s <= e.t; s += step)
        if (e.t < s + sizeMs) put(key(e.p, s, s + sizeMs, e.key), e);
    }
  } else {
    for (const p of [0, 1, 2])
      for (const k of ['a', 'b', 'c'])
        sessionsOf(
          events.filter((e) => e.p === p && e.key === k),
          (window as SessionWindow).gapMs,
          put,
        );
  }
  return new Map(
    [...groups].map(([k, es]) => [
      k,
      {
        n: es.length,
        total: es.reduce((a, e) => a + e.v, 0),
        low: Math.min(...es.map((e) => e.v)),
        high: Math.max(...es.map((e) => e.v)),
        users: new Set(es.map((e) => e.user)).size,
      },
    ]),
  );
}

function sessionsOf(events: Ev[], gap: number, put: (k: string, e: Ev) => void): void {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  let group: Ev[] = [];
  const flush = () =>
    group.length &&
    group.forEach((e) => put(key(e.p, (group[0] as Ev).t, (group.at(-1) as Ev).t + gap, e.key), e));
  for (const e of sorted) {
    if (group.length && e.t >= (group.at(-1) as Ev).t + gap) {
      flush();
      group = [];
    }
    group.push(e);
  }
  flush();
}

describe.each(Object.keys(WINDOWS))('%s windows, against a batch recomputation', (name) => {
  const window = WINDOWS[name] as WindowSpec;

  it('final results equal the batch answer for any stream with disorder within the delay', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.integer({ min: 1, max: 20 })), (events, sizes) => {
        const outputs = feed(
          new WindowingEngine([metricFor(window)], { idleTimeoutMs: Infinity }),
          batches(withEnd(events), sizes),
        );
        expect(outputs.filter((o) => o.kind === 'late' || o.kind === 'error')).toEqual([]);
        expect(finalsOf(outputs)).toEqual(batchAnswer(window, events));
      }),
      { numRuns: 150 },
    );
  });

  it('snapshot + restore at any point gives the uninterrupted results', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.integer({ min: 1, max: 20 })),
        fc.nat(),
        (events, sizes, cutSeed) => {
          const parts = batches(withEnd(events), sizes);
          const cut = cutSeed % (parts.length + 1);
          const whole = feed(
            new WindowingEngine([metricFor(window)], { idleTimeoutMs: Infinity }),
            parts,
          );

          const first = new WindowingEngine([metricFor(window)], { idleTimeoutMs: Infinity });
          const before = feed(first, parts.slice(0, cut));
          first.emitUpdates();
          const snapshots = [0, 1, 2].map((p) => JSON.parse(JSON.stringify(first.snapshot(p))));
          const second = new WindowingEngine([metricFor(window)], { idleTimeoutMs: Infinity });
          snapshots.forEach((s) => second.restore(s, 0));
          const after = feed(second, parts.slice(cut));
          expect(finalsOf([...before, ...after])).toEqual(finalsOf(whole));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('update-mode results, applied as overwrites by version, converge to the finals', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.integer({ min: 1, max: 20 })), (events, sizes) => {
        const engine = new WindowingEngine([metricFor(window)], { idleTimeoutMs: Infinity });
        const table = new Map<string, { version: number; values: unknown; final: boolean }>();
        const apply = (o: EngineOutput<Ev>) => {
          const stored = table.get(o.kind === 'result' || o.kind === 'retract' ? o.id : '');
          if (o.kind === 'retract' && (!stored || stored.version <= o.version)) table.delete(o.id);
          if (
            o.kind === 'result' &&
            (!stored || o.version > stored.version || (o.version === stored.version && o.final))
          ) {
            table.set(o.id, { version: o.version, values: o.values, final: o.final });
          }
        };
        const finals: EngineOutput<Ev>[] = [];
        for (const batch of batches(withEnd(events), sizes)) {
          const out = engine.process((batch[0] as Ev).p, batch, 0);
          finals.push(...out);
          engine.emitUpdates().forEach(apply); // a sink writing live results after every batch...
          out.forEach(apply); // ...and the finals
        }
        const expected = finalsOf(finals);
        const live = [...table].filter(([id]) => !id.endsWith(`|${END_KEY}`));
        expect(live.every(([, row]) => row.final)).toBe(true);
        expect(live.map(([, row]) => row.values).sort(byJson)).toEqual(
          [...expected.values()].sort(byJson),
        );
      }),
      { numRuns: 150 },
    );
  });
});

const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

describe('replays decide alike', () => {
  /** Like streamArb, but stamped up to 3 × the delay back: some events are late. */
  const lateStreamArb = streamArb.map((events) =>
    events.map((e, i) => ({ ...e, t: e.t - ((i * 7919) % (3 * DELAY)) })),
  );

  /**
   * The same per-partition sequences, interleaved and batched differently (as two fetch histories
   * would).
   */
  function reinterleave(events: Ev[], seed: number): Ev[][] {
    const queues = [0, 1, 2].map((p) => events.filter((e) => e.p === p));
    const out: Ev[][] = [];
    let x = seed;
    while (queues.some((q) => q.length > 0)) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const q = queues[x % 3] as Ev[];
      if (q.length > 0) out.push(q.splice(0, 1 + (x % 7)));
    }
    return out;
  }

  it.each(Object.keys(WINDOWS))(
    '%s: finals and late events per partition do not depend on batching or interleaving',
    (name) => {
      fc.assert(
        fc.property(lateStreamArb, fc.nat(), fc.nat(), (events, a, b) => {
          const run = (seed: number) => {
            const outputs = feed(
              new WindowingEngine([metricFor(WINDOWS[name] as WindowSpec)], {
                idleTimeoutMs: Infinity,
              }),
              reinterleave(withEnd(events), seed),
            );
            return [0, 1, 2].map((p) =>
              outputs
                .filter(
                  (o): o is LateEvent<Ev> | WindowResult =>
                    (o.kind === 'late' || (o.kind === 'result' && o.final)) && o.partition === p,
                )
                .map((o) =>
                  JSON.stringify(
                    o.kind === 'late'
                      ? ['late', o.eventTimeMs, o.windowStartMs]
                      : ['final', o.windowStartMs, o.key, o.values, o.version],
                  ),
                )
                .sort(),
            );
          };
          expect(run(a)).toEqual(run(b));
        }),
        { numRuns: 100 },
      );
    },
  );
});
