import { count, countDistinct, max, sum } from './aggregators';
import { WindowingEngine } from './engine';
import { metric, MetricSpec } from './metric';
import type { EngineOutput, WindowResult } from './outputs';
import { tumbling } from './fixed-windows';
import { hopping } from './pane-windows';
import { session } from './session-windows';

interface Ev {
  t: number;
  key: string;
  v: number;
  user?: string;
}
const M = 60_000;
const ev = (t: number, key = 'a', v = 1, user = 'u1'): Ev => ({ t, key, v, user });

function engineOf(spec: Partial<MetricSpec<Ev>> = {}, idleTimeoutMs = 60_000) {
  const m = metric<Ev>({
    name: 'm',
    eventTime: (e) => e.t,
    window: tumbling('1m'),
    groupBy: ['key'],
    aggregate: { n: count(), total: sum((e) => e.v) },
    ...spec,
  });
  return new WindowingEngine([m], { idleTimeoutMs });
}
const finals = (out: EngineOutput<Ev>[]) =>
  out.filter((o): o is WindowResult => o.kind === 'result' && o.final);
const brief = (r: WindowResult) => ({
  start: r.windowStartMs,
  end: r.windowEndMs,
  key: r.key,
  ...r.values,
});

describe('tumbling windows and the watermark', () => {
  it('emits each window once, when the watermark passes its end; the end itself is exclusive', () => {
    const engine = engineOf();
    expect(finals(engine.process(0, [ev(0), ev(59_999, 'a', 2), ev(60_000, 'a', 5)], 0))).toEqual([
      expect.objectContaining({
        windowStartMs: 0,
        windowEndMs: M,
        values: { n: 2, total: 3 },
        version: 2,
        final: true,
      }),
    ]);
    expect(finals(engine.process(0, [ev(60_001)], 0))).toEqual([]);
    expect(finals(engine.process(0, [ev(120_000)], 0)).map(brief)).toEqual([
      { start: M, end: 2 * M, key: { key: 'a' }, n: 2, total: 6 },
    ]);
  });

  it('works at the epoch and before it', () => {
    const engine = engineOf();
    const out = finals(engine.process(0, [ev(-1), ev(-M), ev(0), ev(M)], 0));
    expect(out.map(brief)).toEqual([
      { start: -M, end: 0, key: { key: 'a' }, n: 2, total: 2 },
      { start: 0, end: M, key: { key: 'a' }, n: 1, total: 1 },
    ]);
  });

  it('a slow partition holds the watermark back until it catches up', () => {
    const engine = engineOf();
    engine.process(1, [ev(10_000, 'b')], 0);
    expect(finals(engine.process(0, [ev(5 * M)], 0))).toEqual([]);
    expect(engine.watermarkMs('m')).toBe(10_000);
    expect(finals(engine.process(1, [ev(3 * M, 'b')], 0)).map((r) => r.key)).toEqual([
      { key: 'b' },
    ]);
    expect(engine.watermarkMs('m')).toBe(3 * M);
  });

  it('an idle partition stops holding it back, and rejoins without moving it backwards', () => {
    const engine = engineOf({}, 1_000);
    engine.process(1, [ev(10_000, 'b')], 0);
    engine.process(0, [ev(5 * M)], 500);
    expect(engine.watermarkMs('m')).toBe(10_000);
    expect(finals(engine.advance(1_500)).map((r) => r.key)).toEqual([{ key: 'b' }]);
    expect(engine.watermarkMs('m')).toBe(5 * M);
    const rejoin = engine.process(1, [ev(20_000, 'b')], 1_600); // partition 1 leads again, from 20 s
    expect(rejoin.filter((o) => o.kind === 'late')).toHaveLength(1);
    expect(engine.watermarkMs('m')).toBe(5 * M);
  });

  it('an assigned partition that has not spoken yet holds the watermark until it goes idle', () => {
    const engine = engineOf({}, 1_000);
    engine.assign([0, 1], 0);
    engine.process(0, [ev(5 * M)], 0);
    expect(engine.watermarkMs('m')).toBe(-Infinity);
    expect(finals(engine.process(1, [ev(30_000, 'b')], 10))).toEqual([]); // its old event is on time
    engine.advance(2_000);
    expect(engine.watermarkMs('m')).toBe(5 * M); // both idle now: the most advanced leads
  });

  it('an event is late exactly when end + allowed lateness ≤ watermark, and says by how much', () => {
    const engine = engineOf({ allowedLateness: '5s', watermarkDelay: '10s' });
    engine.process(0, [ev(M + 5_000 + 10_000 - 1)], 0); // watermark = 64_999
    expect(engine.process(0, [ev(59_999)], 0).filter((o) => o.kind === 'late')).toEqual([]);
    engine.process(0, [ev(M + 5_000 + 10_000)], 0); // watermark = 65_000: the window [0, 60s) closes
    const late = engine.process(0, [ev(30_000)], 0);
    expect(late).toEqual([
      expect.objectContaining({
        kind: 'late',
        windowStartMs: 0,
        windowEndMs: M,
        watermarkMs: 65_000,
        lateByMs: 0,
      }),
    ]);
    expect(engine.stats.late).toBe(1);
  });
});

describe('what a review found', () => {
  it("a filtered metric's windows close on any event time of the partition, not only matching ones", () => {
    const engine = engineOf({ where: (e) => e.key === 'purchase' });
    engine.process(0, [ev(1, 'purchase')], 0);
    expect(finals(engine.process(0, [ev(2 * M, 'view')], 0)).map((r) => r.key)).toEqual([
      { key: 'purchase' },
    ]);
  });

  it('empty batches do not keep a silent partition active', () => {
    const engine = engineOf({}, 1_000);
    engine.process(0, [ev(5 * M)], 0);
    engine.process(1, [ev(M, 'b')], 0);
    for (const now of [500, 1_000, 1_500]) engine.process(1, [], now);
    engine.process(0, [ev(5 * M + 1)], 1_500);
    expect(engine.watermarkMs('m')).toBe(5 * M + 1);
  });

  it('an event inside a closed session is late, never a second overlapping session', () => {
    const engine = engineOf({ window: session('30s') });
    engine.process(0, [ev(0), ev(30_000, 'b')], 0); // the partition's watermark reaches 30 s: [0, 30s) closes
    const out = engine.process(0, [ev(20_000)], 0);
    expect(out).toEqual([
      expect.objectContaining({ kind: 'late', windowStartMs: 0, windowEndMs: 30_000 }),
    ]);
  });

  it("restoring a partition neither raises the receiver's watermark nor closes the restored windows early", () => {
    const giver = engineOf();
    giver.assign([0], 0);
    giver.process(0, [ev(10_000)], 0);
    const snapshot = JSON.parse(JSON.stringify(giver.snapshot(0)));
    const receiver = engineOf();
    receiver.assign([1], 0);
    receiver.process(1, [ev(10 * M, 'b')], 0);
    expect(finals(receiver.advance(0))).toEqual([]);
    receiver.restore(snapshot, 0);
    expect(finals(receiver.advance(0))).toEqual([]);
    expect(receiver.process(0, [ev(20_000)], 0).filter((o) => o.kind === 'late')).toEqual([]);
    expect(finals(receiver.process(0, [ev(M)], 0))).toEqual([
      expect.objectContaining({ values: { n: 2, total: 2 } }),
    ]);
  });
});

describe('hopping and session windows', () => {
  it('hopping: one event counts in every covering window', () => {
    const engine = engineOf({ window: hopping('3m', '1m') });
    const out = finals(engine.process(0, [ev(M + 1), ev(10 * M)], 0));
    expect(out.map((r) => [r.windowStartMs / M, r.values['n']])).toEqual([
      [-1, 1],
      [0, 1],
      [1, 1],
    ]);
  });

  it('sessions split on a gap and merge when an event bridges them, retracting the absorbed live one', () => {
    const engine = engineOf({ window: session('30s'), watermarkDelay: '5m' });
    engine.process(0, [ev(0), ev(20_000), ev(100_000)], 0); // two sessions: [0, 50s) and [100s, 130s)
    expect(engine.emitUpdates().map((r) => [r.kind, r.windowStartMs])).toEqual([
      ['result', 0],
      ['result', 100_000],
    ]);
    engine.process(0, [ev(45_000), ev(74_000)], 0); // 45s extends the first to 75s; 74s bridges to 100s
    const updates = engine.emitUpdates();
    expect(updates.map((r) => [r.kind, r.windowStartMs])).toEqual([
      ['result', 0],
      ['retract', 100_000],
    ]);
    expect(updates[0]).toMatchObject({
      windowEndMs: 130_000,
      values: { n: 5, total: 5 },
      version: 5,
    });
    const closed = finals(engine.process(0, [ev(10 * M)], 0));
    expect(closed.map(brief)).toEqual([
      { start: 0, end: 130_000, key: { key: 'a' }, n: 5, total: 5 },
    ]);
  });
});

describe('update and final emission', () => {
  it('update mode emits only what changed, with growing versions, then one final', () => {
    const engine = engineOf();
    engine.process(0, [ev(1), ev(2, 'b')], 0);
    expect(engine.emitUpdates().map((r) => [r.key, r.version])).toEqual([
      [{ key: 'a' }, 1],
      [{ key: 'b' }, 1],
    ]);
    expect(engine.emitUpdates()).toEqual([]);
    engine.process(0, [ev(3)], 0);
    expect(engine.emitUpdates()).toEqual([
      expect.objectContaining({
        key: { key: 'a' },
        version: 2,
        final: false,
        values: { n: 2, total: 2 },
      }),
    ]);
    expect(finals(engine.process(0, [ev(2 * M)], 0)).map((r) => [r.key, r.version])).toEqual([
      [{ key: 'a' }, 2],
      [{ key: 'b' }, 1],
    ]);
    expect(engine.emitUpdates().map((r) => r.windowStartMs)).toEqual([2 * M]);
  });

  it('final mode never emits live results', () => {
    const engine = engineOf({ emit: 'final' });
    engine.process(0, [ev(1)], 0);
    expect(engine.emitUpdates()).toEqual([]);
    expect(finals(engine.process(0, [ev(M)], 0))).toHaveLength(1);
  });

  it('frees a window once final', () => {
    const engine = engineOf();
    engine.process(
      0,
      Array.from({ length: 100 }, (_, i) => ev(i, `k${i}`)),
      0,
    );
    expect(engine.stats.openCells).toBe(100);
    engine.process(0, [ev(M)], 0);
    expect(engine.stats.openCells).toBe(1);
  });
});

describe('bad input is an output, never a crash', () => {
  it.each([
    ['a missing event time', { t: undefined }, 'INVALID_EVENT_TIME'],
    ['a fractional event time', { t: 1.5 }, 'INVALID_EVENT_TIME'],
    ['NaN in a summed field', { v: Number.NaN }, 'INVALID_VALUE'],
    ['an object as a group key', { key: {} }, 'INVALID_KEY'],
  ])('%s', (_what, patch, code) => {
    const engine = engineOf();
    const out = engine.process(0, [{ ...ev(5), ...patch } as unknown as Ev, ev(6)], 0);
    expect(out).toEqual([
      expect.objectContaining({
        kind: 'error',
        partition: 0,
        error: expect.objectContaining({ code, metric: 'm' }),
      }),
    ]);
    expect(engine.emitUpdates()).toEqual([expect.objectContaining({ values: { n: 1, total: 1 } })]);
    expect(engine.stats.rejected).toBe(1);
  });

  it('a selector that throws', () => {
    const engine = engineOf({
      aggregate: {
        n: count(),
        top: max((e) => (e.v > 1 ? (null as never as { x: number }).x : e.v)),
      },
    });
    const out = engine.process(0, [ev(1, 'a', 2), ev(2, 'a', 1)], 0);
    expect(out.map((o) => o.kind === 'error' && o.error.code)).toEqual(['SELECTOR_FAILED']);
  });
});

describe('snapshot and restore', () => {
  it('a fresh engine resumes a partition from its snapshot, through JSON', () => {
    const spec = { aggregate: { n: count(), users: countDistinct<Ev>((e) => e.user) } };
    const original = engineOf(spec);
    original.process(0, [ev(1, 'a', 1, 'u1'), ev(2, 'a', 1, 'u2')], 0);
    original.emitUpdates();
    const snapshot = JSON.parse(JSON.stringify(original.snapshot(0)));

    const restored = engineOf(spec);
    restored.restore(snapshot, 0);
    const batch = [ev(3, 'a', 1, 'u2'), ev(4, 'a', 1, 'u3'), ev(M)];
    expect(finals(restored.process(0, batch, 0))).toEqual(finals(original.process(0, batch, 0)));
    expect(restored.watermarkMs('m')).toBe(original.watermarkMs('m'));
  });
});
