import fc from 'fast-check';
import { AnyAggregator, approxCountDistinct, count, countDistinct, max, sum } from './aggregators';
import { WindowingEngine } from './engine';
import { StateLayoutError } from './errors';
import { tumbling } from './fixed-windows';
import { metric } from './metric';
import type { EngineOutput } from './outputs';
import type { PartitionHeader, StateRow } from './partition-state';
import { RowStore } from './row-store.test-support';
import { session } from './session-windows';
import type { WindowSpec } from './window-store';

/** Restores after a metric's definition changed: exact by aggregate name, or a clear refusal. */
interface Ev {
  t: number;
  key: string;
  v: number;
  user: string;
}

type Aggregates = Record<string, AnyAggregator<Ev>>;
const ALL: Aggregates = {
  n: count(),
  total: sum((e) => e.v),
  users: countDistinct((e) => e.user),
  high: max((e) => e.v),
};
const define = (aggregate: Aggregates, window: WindowSpec = tumbling(10_000), name = 'm') =>
  metric<Ev>({
    name,
    eventTime: (e) => e.t,
    window,
    watermarkDelay: 2_000,
    groupBy: ['key'],
    aggregate,
  });

const eventsArb = fc
  .array(
    fc.record({
      step: fc.integer({ min: 0, max: 1_500 }),
      back: fc.integer({ min: 0, max: 4_000 }),
      key: fc.constantFrom('a', 'b'),
      v: fc.integer({ min: -9, max: 9 }),
      user: fc.constantFrom('u1', 'u2', 'u3'),
    }),
    { minLength: 1, maxLength: 120 },
  )
  .map((raw) => {
    let clock = 0;
    return raw.map(({ step, back, ...rest }) => ((clock += step), { t: clock - back, ...rest }));
  });

/** Final results by window and key, values keyed by aggregate name (order-free). */
function finals(
  outputs: readonly EngineOutput<Ev>[],
  keep: (name: string) => boolean = () => true,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const o of outputs) {
    if (o.kind !== 'result' || !o.final) continue;
    out.set(
      `${o.metric}|${o.windowStartMs}|${o.key['key']}`,
      Object.fromEntries(Object.entries(o.values).filter(([name]) => keep(name))),
    );
  }
  return out;
}

const END: Ev = { t: 10_000_000, key: 'z', v: 0, user: 'u0' };
const feed = (engine: WindowingEngine<Ev>, events: readonly Ev[]) =>
  events.flatMap((e, i) => engine.process(0, [e], i));

/**
 * Runs `before` on an engine of `saved` metrics and checkpoints it into rows, as the pipeline does.
 */
function checkpointed(saved: ReturnType<typeof define>[], before: readonly Ev[]): RowStore {
  const engine = new WindowingEngine(saved);
  feed(engine, before);
  engine.emitUpdates();
  const rows = new RowStore();
  rows.apply(0, engine.takeChanges(0));
  return rows;
}

const restoreInto = (engine: WindowingEngine<Ev>, rows: RowStore, reset?: string[]) =>
  engine.restore(
    rows.headers.get(0) as PartitionHeader,
    0,
    rows.rowsOf(0),
    reset ? { resetMetrics: new Set(reset) } : {},
  );

describe('restoring state saved under another metric definition', () => {
  it('matches aggregates by name: reordered or removed ones change no result', () => {
    const names = Object.keys(ALL);
    fc.assert(
      fc.property(
        eventsArb,
        fc.nat(),
        fc.shuffledSubarray(names, { minLength: 1 }),
        (events, cut, kept) => {
          const at = cut % (events.length + 1);
          const rows = checkpointed([define(ALL)], events.slice(0, at));
          const changed = new WindowingEngine([
            define(Object.fromEntries(kept.map((n) => [n, ALL[n] as AnyAggregator<Ev>]))),
          ]);
          const report = restoreInto(changed, rows);
          expect(report.changed.flatMap((c) => c.removed).sort()).toEqual(
            names.filter((n) => !kept.includes(n)).sort(),
          );
          const reference = new WindowingEngine([define(ALL)]);
          const expected = finals(feed(reference, [...events, END]).slice(0), (n) =>
            kept.includes(n),
          );
          const [before, after] = [events.slice(0, at), [...events.slice(at), END]];
          const unaffected = finals(feed(new WindowingEngine([define(ALL)]), before), (n) =>
            kept.includes(n),
          );
          const got = finals(feed(changed, after));
          for (const [id, values] of got) expect(values).toEqual(expected.get(id));
          expect(new Set([...unaffected.keys(), ...got.keys()])).toEqual(new Set(expected.keys()));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('starts an added aggregate at the restore and says so; the next checkpoint rewrites every row', () => {
    const rows = checkpointed([define({ n: count() })], [{ t: 1_000, key: 'a', v: 5, user: 'u1' }]);
    const engine = new WindowingEngine([define({ total: sum((e) => e.v), n: count() })]);
    expect(restoreInto(engine, rows).changed).toEqual([
      { metric: 'm', added: ['total'], removed: [] },
    ]);
    expect(engine.takeChanges(0)).toMatchObject({
      replaceAll: true,
      upserts: [expect.objectContaining({ metric: 'm' })],
    });
    const out = feed(engine, [{ t: 2_000, key: 'a', v: 7, user: 'u1' }, END]);
    expect([...finals(out).values()][0]).toEqual({ n: 2, total: 7 });
  });

  it.each<[string, Aggregates, RegExp]>([
    [
      'another aggregator under the same name',
      { n: sum((e) => e.v) },
      /metric m: aggregate n was saved as count, it is now sum/,
    ],
    [
      'another sketch precision',
      { n: approxCountDistinct((e) => e.user, { precision: 14 }) },
      /aggregate n was saved as hll\(precision=12\), it is now hll\(precision=14\)/,
    ],
  ])('refuses %s, changing nothing', (_, aggregate, message) => {
    const savedAggregate = String(message).includes('hll')
      ? { n: approxCountDistinct<Ev>((e) => e.user) }
      : { n: count<Ev>() };
    const rows = checkpointed([define(savedAggregate)], [{ t: 1_000, key: 'a', v: 5, user: 'u1' }]);
    const engine = new WindowingEngine([define(aggregate)]);
    expect(() => restoreInto(engine, rows)).toThrow(StateLayoutError);
    expect(() => restoreInto(engine, rows)).toThrow(message);
    expect(engine.stats.openCells).toBe(0);
  });

  it('refuses another window, naming both and what to do', () => {
    const rows = checkpointed([define({ n: count() })], [{ t: 1_000, key: 'a', v: 5, user: 'u1' }]);
    const engine = new WindowingEngine([define({ n: count() }, session('5s'))]);
    expect(() => restoreInto(engine, rows)).toThrow(
      /windows tumbling\(size=10000,offset=0\), it is now session\(gap=5000\).*reset this metric's state/,
    );
  });

  it('refuses another key, naming both', () => {
    const rows = checkpointed([define({ n: count() })], [{ t: 1_000, key: 'a', v: 5, user: 'u1' }]);
    const byUser = metric<Ev>({
      name: 'm',
      eventTime: (e) => e.t,
      window: tumbling(10_000),
      watermarkDelay: 2_000,
      groupBy: ['user'],
      aggregate: { n: count() },
    });
    expect(() => restoreInto(new WindowingEngine([byUser]), rows)).toThrow(
      /saved keyed by fields\(key\), it is now keyed by fields\(user\)/,
    );
  });

  it('reads rows saved before layouts were (no layout, an emitted flag)', () => {
    const rows = checkpointed(
      [define({ n: count(), total: sum((e) => e.v) })],
      [{ t: 1_000, key: 'a', v: 5, user: 'u1' }],
    );
    const header = rows.headers.get(0) as PartitionHeader;
    const legacyHeader = {
      ...header,
      metrics: {
        m: { maxEventTimeMs: header.metrics['m']?.maxEventTimeMs ?? null, closedDeadlineMs: null },
      },
    };
    const legacyRows: StateRow[] = rows.rowsOf(0).map((r) => {
      const [start, end, keyId, key, version, dirty, accs] = r.state as unknown[];
      return { ...r, state: [start, end, keyId, key, version, dirty, true, accs] };
    });
    const engine = new WindowingEngine([define({ n: count(), total: sum((e) => e.v) })]);
    expect(engine.restore(legacyHeader, 0, legacyRows).changed).toEqual([]);
    // The next checkpoint rewrites every row in the current layout, beside a header declaring it.
    const next = engine.takeChanges(0);
    expect(next).toMatchObject({
      replaceAll: true,
      header: { metrics: { m: { layout: { version: 2 } } } },
    });
    expect(next.upserts.map((r) => (r.state as unknown[]).length)).toEqual([7]);
    expect([...finals(feed(engine, [END])).values()]).toEqual([{ n: 1, total: 5 }]);
  });
});

describe('metrics without saved state: new, or reset', () => {
  const before: Ev[] = [
    { t: 1_000, key: 'a', v: 1, user: 'u1' },
    { t: 12_000, key: 'a', v: 2, user: 'u1' },
  ];
  const after: Ev[] = [
    { t: 13_000, key: 'a', v: 3, user: 'u2' },
    { t: 21_000, key: 'b', v: 4, user: 'u3' },
    END,
  ];

  it('a new metric reports only windows that start after the event time already past, and those exactly', () => {
    const rows = checkpointed([define({ n: count() })], before);
    const engine = new WindowingEngine([
      define({ n: count() }),
      define({ total: sum((e) => e.v) }, tumbling(10_000), 'added'),
    ]);
    expect(restoreInto(engine, rows)).toMatchObject({
      started: ['added'],
      pastEventTimeMs: 12_000,
      changed: [],
      dropped: [],
    });
    const added = [...finals(feed(engine, after))].filter(([id]) => id.startsWith('added|'));
    expect(added).toEqual([['added|20000|b', { total: 4 }]]); // [10 s, 20 s) of key a was partial
  });

  it('a new session metric reports no session an unseen event could have joined', () => {
    // The reviewer's case: k@10000 went by before the metric existed; k@12000 would merge with it.
    const rows = checkpointed(
      [define({ n: count() })],
      [{ t: 10_000, key: 'k', v: 1, user: 'u1' }],
    );
    const sessions = define({ n: count() }, session('5s'), 'visits');
    const engine = new WindowingEngine([define({ n: count() }), sessions]);
    restoreInto(engine, rows);
    const later: Ev[] = [
      { t: 12_000, key: 'k', v: 1, user: 'u1' }, // within the gap of the unseen event: partial
      { t: 15_000, key: 'j', v: 1, user: 'u1' }, // starts at past + gap: complete
      END,
    ];
    const reported = [...finals(feed(engine, later))].filter(([id]) => id.startsWith('visits|'));
    expect(reported).toEqual([['visits|15000|j', { n: 1 }]]);
  });

  it('a reset metric starts over the same way, and its old rows go at the next checkpoint', () => {
    const rows = checkpointed([define({ n: count() })], before);
    const engine = new WindowingEngine([define({ n: count() })]);
    expect(restoreInto(engine, rows, ['m']).started).toEqual(['m']);
    expect(engine.takeChanges(0)).toMatchObject({ replaceAll: true, upserts: [] });
    expect([...finals(feed(engine, after)).keys()]).toEqual(['m|20000|b']);
  });

  it('a metric no longer configured is reported dropped, and its rows go', () => {
    const rows = checkpointed(
      [define({ n: count() }), define({ n: count() }, tumbling(10_000), 'gone')],
      before,
    );
    const engine = new WindowingEngine([define({ n: count() })]);
    expect(restoreInto(engine, rows).dropped).toEqual(['gone']);
    const changes = engine.takeChanges(0);
    expect(changes.replaceAll).toBe(true);
    expect(changes.upserts.every((r) => r.metric === 'm')).toBe(true);
  });
});
