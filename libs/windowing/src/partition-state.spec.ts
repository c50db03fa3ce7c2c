import fc from 'fast-check';
import { count, countDistinct, max, sum } from './aggregators';
import { WindowingEngine } from './engine';
import { metric } from './metric';
import type { EngineOutput } from './outputs';
import type { PartitionSnapshot } from './partition-state';
import { RowStore } from './row-store.test-support';
import { tumbling } from './fixed-windows';
import { hopping } from './pane-windows';
import { session } from './session-windows';

/**
 * Incremental saves against the whole snapshot: rows kept by applying every `takeChanges` (as a
 * database would) must restore exactly the state `snapshot` describes, at every checkpoint.
 */
interface Ev {
  p: number;
  t: number;
  key: string;
  v: number;
  user: string;
}

const PARTITIONS = [0, 1, 2];
const metrics = () => [
  metric<Ev>({
    name: 'tumble',
    eventTime: (e) => e.t,
    window: tumbling(10_000),
    watermarkDelay: 2_000,
    groupBy: ['key'],
    aggregate: { n: count(), total: sum((e) => e.v) },
  }),
  metric<Ev>({
    name: 'hop',
    eventTime: (e) => e.t,
    window: hopping(10_000, 2_500),
    watermarkDelay: 2_000,
    allowedLateness: 1_000,
    groupBy: ['key'],
    aggregate: { high: max((e) => e.v) },
  }),
  metric<Ev>({
    name: 'sess',
    eventTime: (e) => e.t,
    window: session(3_000),
    watermarkDelay: 2_000,
    groupBy: ['key'],
    aggregate: { n: count(), users: countDistinct((e) => e.user) },
  }),
  metric<Ev>({
    name: 'sess_final',
    eventTime: (e) => e.t,
    window: session(2_000),
    watermarkDelay: 1_000,
    emit: 'final',
    groupBy: ['user'],
    aggregate: { n: count() },
  }),
];

/** Time advances per partition; events land up to 8 s back, so some are late and sessions merge. */
const streamArb = fc
  .array(
    fc.record({
      p: fc.constantFrom(...PARTITIONS),
      step: fc.integer({ min: 0, max: 1_500 }),
      back: fc.integer({ min: 0, max: 8_000 }),
      key: fc.constantFrom('a', 'b', '\u0000c', 'd"'),
      v: fc.integer({ min: -50, max: 50 }),
      user: fc.constantFrom('u1', 'u2', 'u3'),
    }),
    { maxLength: 250, size: 'max' },
  )
  .map((raw) => {
    const clock = [0, 0, 0];
    return raw.map(({ p, step, back, key, v, user }) => {
      clock[p] = (clock[p] as number) + step;
      return { p, t: (clock[p] as number) - back, key, v, user };
    });
  });

/**
 * A snapshot with its cells and sessions in a canonical order (stores iterate in insertion order).
 */
function canonical(snapshot: PartitionSnapshot): unknown {
  return { header: snapshot.header, rows: snapshot.rows.map((r) => JSON.stringify(r)).sort() };
}

function restoreFrom(store: RowStore, idleTimeoutMs: number, nowMs: number): WindowingEngine<Ev> {
  const engine = new WindowingEngine(metrics(), { idleTimeoutMs });
  for (const [p, header] of store.headers) engine.restore(header, nowMs, store.rowsOf(p));
  return engine;
}

const finalsOf = (outputs: EngineOutput<Ev>[]) =>
  outputs
    .filter((o) => (o.kind === 'result' && o.final) || o.kind === 'late')
    .map((o) => JSON.stringify(o))
    .sort();

describe.each([
  ['partitions never idle', Infinity],
  ['partitions idle at once', 0],
])('incremental saves, %s', (_, idleTimeoutMs) => {
  it('rows from every change so far restore the state a whole snapshot holds, and the rest replays alike', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.boolean(), { minLength: 1 }),
        fc.nat(),
        (events, cuts, stopSeed) => {
          const engine = new WindowingEngine(metrics(), { idleTimeoutMs });
          engine.assign(PARTITIONS, 0);
          const rows = new RowStore();
          const stop = stopSeed % (events.length + 1);
          events.slice(0, stop).forEach((event, i) => {
            engine.process(event.p, [event], i);
            if (!cuts[i % cuts.length]) return;
            engine.emitUpdates();
            for (const p of PARTITIONS) rows.apply(p, engine.takeChanges(p));
            const restored = restoreFrom(rows, idleTimeoutMs, i);
            for (const p of PARTITIONS)
              expect(canonical(restored.snapshot(p))).toEqual(canonical(engine.snapshot(p)));
            const cellsIn = (e: WindowingEngine<Ev>) =>
              PARTITIONS.flatMap((p) => e.snapshot(p).rows.filter((r) => Array.isArray(r.state)))
                .length;
            expect([engine.stats.openCells, restored.stats.openCells]).toEqual([
              cellsIn(engine),
              cellsIn(engine),
            ]); // counted, not walked
          });
          engine.emitUpdates();
          for (const p of PARTITIONS) rows.apply(p, engine.takeChanges(p));
          const restored = restoreFrom(rows, idleTimeoutMs, stop);
          const rest = events.slice(stop);
          const run = (e: WindowingEngine<Ev>) =>
            rest.flatMap((event, i) => e.process(event.p, [event], stop + i));
          expect(finalsOf(run(restored))).toEqual(finalsOf(run(engine)));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('incremental saves after a whole snapshot', () => {
  it('the first changes after restoring a whole snapshot replace every row and carry every cell', () => {
    const engine = new WindowingEngine(metrics());
    engine.process(
      0,
      [
        { p: 0, t: 1_000, key: 'a', v: 1, user: 'u1' },
        { p: 0, t: 1_500, key: 'b', v: 2, user: 'u2' },
      ],
      0,
    );
    const restored = new WindowingEngine(metrics());
    restored.restore(JSON.parse(JSON.stringify(engine.snapshot(0))), 0);
    const first = restored.takeChanges(0);
    expect(first.replaceAll).toBe(true);
    const rows = new RowStore();
    rows.apply(0, first);
    expect(canonical(restoreFrom(rows, 60_000, 0).snapshot(0))).toEqual(
      canonical(engine.snapshot(0)),
    );
    expect(restored.takeChanges(0)).toMatchObject({ replaceAll: false, deleted: [], upserts: [] });
  });

  it('a partition that did not change gives no rows, only its header', () => {
    const engine = new WindowingEngine(metrics());
    engine.process(1, [{ p: 1, t: 1_000, key: 'a', v: 1, user: 'u1' }], 0);
    expect(engine.takeChanges(1).upserts).toHaveLength(4); // tumbling 1, hopping 1 (its pane), sessions 2
    expect(engine.takeChanges(1)).toMatchObject({
      header: { format: 4, partition: 1 },
      deleted: [],
      upserts: [],
    });
  });
});
