import fc from 'fast-check';
import { count, countDistinct, min, sum } from './aggregators';
import { Cell, cellValues, newCell, SavedCell } from './cells';
import { currentCodec } from './layouts';
import { FixedWindowStore } from './fixed-windows';
import { metric } from './metric';
import { hopping, HoppingWindow as Hopping, PaneWindowStore } from './pane-windows';

interface Ev {
  t: number;
  key: string;
  v: number;
}

const metricOf = (window: Hopping, emit: 'update' | 'final') =>
  metric<Ev>({
    name: 'm',
    eventTime: (e) => e.t,
    window,
    groupBy: ['key'],
    emit,
    aggregate: {
      n: count(),
      total: sum((e) => e.v),
      low: min((e) => e.v),
      keys: countDistinct((e) => e.v % 3),
    },
  });

/**
 * Step: an event (times drift up, some far back: late), or a batch end (close, then live results).
 */
const stepArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      step: fc.integer({ min: 0, max: 2_000 }),
      back: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20_000 })),
      key: fc.constantFrom('a', 'b', 'c'),
      v: fc.integer({ min: -9, max: 9 }),
    }),
    weight: 6,
  },
  { arbitrary: fc.constant({ kind: 'batch' as const }), weight: 1 },
);

const view = (metricDef: ReturnType<typeof metricOf>, cells: readonly Cell[]) =>
  cells
    .map((c) => JSON.stringify([c.start, c.end, c.keyId, c.version, cellValues(metricDef, c)]))
    .sort();

describe('PaneWindowStore', () => {
  it.each([
    [hopping(10_000, 2_500)],
    [hopping(9_000, 6_000)],
    [hopping(4_000, 4_000, { offset: 1_000 })],
  ])('decides every event, final and live result like windows kept cell by cell (%j)', (window) => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 300, size: 'max' }),
        fc.constantFrom('update' as const, 'final' as const),
        (steps, emit) => {
          const m = metricOf(window as Hopping, emit);
          const [panes, cells] = [
            new PaneWindowStore(m, window as Hopping),
            new FixedWindowStore(m, window as Hopping),
          ];
          const slackMs = 3_000;
          let [clock, maxT] = [0, -Infinity];
          for (const s of [...steps, { kind: 'batch' as const }]) {
            const deadline = () => Math.max(maxT - slackMs, cells.closedDeadlineMs);
            if (s.kind === 'batch') {
              expect(view(m, panes.close(deadline()))).toEqual(view(m, cells.close(deadline())));
              expect(view(m, panes.takeDirty())).toEqual(view(m, cells.takeDirty()));
              continue;
            }
            clock += s.step;
            const e = { t: clock - s.back, key: s.key, v: s.v };
            maxT = Math.max(maxT, e.t);
            const values = m.aggregates.map(([, agg]) => agg.select(e));
            expect(panes.add(e, e.t, e.key, values, deadline())).toEqual(
              cells.add(e, e.t, e.key, values, deadline()),
            );
          }
          const end = maxT + 100_000;
          expect(view(m, panes.close(end))).toEqual(view(m, cells.close(end)));
          expect(panes.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps one cell per pane and key, and refuses a saved cell that is a whole window', () => {
    const window = hopping('5m', '1m') as Hopping;
    const m = metricOf(window, 'final');
    const store = new PaneWindowStore(m, window);
    const e = { t: 90_000, key: 'a', v: 1 };
    store.add(
      e,
      e.t,
      e.key,
      m.aggregates.map(([, agg]) => agg.select(e)),
      -Infinity,
    );
    const codec = currentCodec(m);
    const rows = store.rows(codec);
    expect(
      rows.map((r) => [(r.state as SavedCell)[0], (r.state as SavedCell)[1], r.endMs]),
    ).toEqual([[60_000, 120_000, 360_000]]);
    expect(() => store.loadRows([codec.save(newCell(m, e, 'a', 0, 300_000))], codec)).toThrow(
      /not a pane of 60000 ms/,
    );
  });
});
