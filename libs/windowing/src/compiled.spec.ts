import fc from 'fast-check';
import { count, max, sum } from './aggregators';
import { compileMetric, INVALID_KEY, INVALID_TIME, ParsedEvent } from './compiled';
import { GroupKey, metric } from './metric';
import { tumbling } from './fixed-windows';

type Ev = Record<string, unknown>;

const fieldValue = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant({}),
);
const eventArb = fc.record({
  a: fieldValue,
  b: fieldValue,
  v: fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constant(Number.NaN), fc.constant(undefined)),
});

const GROUPINGS: Record<string, readonly string[] | ((e: Ev) => GroupKey) | undefined> = {
  global: undefined,
  'one field': ['a'],
  'two fields': ['a', 'b'],
  function: (e) => ({ a: e['a'] as string, b: e['b'] as string }),
};

/**
 * What the compiled code must agree with: the metric's own key function and its aggregators, looped
 * over.
 */
function oracle(
  m: ReturnType<typeof metricOf>,
  e: Ev,
  timeMs: number,
): { code: boolean | number; keyId?: string; values?: unknown[] } {
  if (m.where && !m.where(e)) return { code: false };
  if (Number.isNaN(timeMs)) return { code: INVALID_TIME };
  const keyId = m.keyId(e);
  if (keyId === undefined) return { code: INVALID_KEY };
  const values = m.aggregates.map(([, agg]) => agg.select(e));
  const bad = values.findIndex(
    (v, i) =>
      v !== undefined &&
      (m.aggregates[i] as (typeof m.aggregates)[number])[1].check(v) !== undefined,
  );
  return bad >= 0 ? { code: bad } : { code: true, keyId, values };
}

function metricOf(groupBy: (typeof GROUPINGS)[string], filtered: boolean) {
  return metric<Ev>({
    name: 'm',
    eventTime: (e) => e['t'] as number,
    window: tumbling('1m'),
    groupBy,
    ...(filtered ? { where: (e: Ev) => e['b'] !== null } : {}),
    aggregate: {
      n: count(),
      total: sum((e) => e['v'] as number | undefined),
      top: max((e) => e['v'] as number | undefined),
    },
  });
}

describe('compiled metric code', () => {
  for (const [name, groupBy] of Object.entries(GROUPINGS)) {
    for (const filtered of [false, true]) {
      it(`parses like the metric's own functions: ${name}${filtered ? ', filtered' : ''}`, () => {
        const m = metricOf(groupBy, filtered);
        fc.assert(
          fc.property(eventArb, fc.oneof(fc.integer(), fc.constant(Number.NaN)), (e, timeMs) => {
            const into: ParsedEvent = { keyId: '', values: [] };
            const code = m.compiled.parse(e, timeMs, into);
            const expected = oracle(m, e, timeMs);
            expect(code).toBe(expected.code);
            if (code === true)
              expect({ keyId: into.keyId, values: into.values }).toEqual({
                keyId: expected.keyId,
                values: expected.values,
              });
          }),
        );
      });
    }
  }

  it('adds values as the aggregators do, skipping undefined ones', () => {
    const m = metricOf(['a'], false);
    const cell = { accs: m.aggregates.map(([, agg]) => agg.init()), version: 0 };
    m.compiled.add(cell, [true, 5, 5]);
    m.compiled.add(cell, [true, undefined, undefined]);
    m.compiled.add(cell, [true, -2, -2]);
    expect(cell).toEqual({ accs: [3, 3, { value: 5 }], version: 3 });
  });

  it('refuses a name that could not be embedded in generated code safely', () => {
    expect(() =>
      compileMetric<Ev>('a */ b', [['n', count()]], undefined, { keyId: () => '' }),
    ).toThrow(RangeError);
  });
});
