import fc from 'fast-check';
import {
  approxCountDistinct,
  avg,
  count,
  countDistinct,
  distinctValues,
  max,
  min,
  percentiles,
  sum,
  topK,
} from './index';
import type { AnyAggregator } from './aggregator';

const run = <V>(agg: AnyAggregator<V>, values: readonly V[]) =>
  agg.result(values.reduce((acc, v) => agg.add(acc, agg.select(v)), agg.init()));
const self = <T>(v: T) => v;

describe('aggregators', () => {
  it('count, sum, min, max, avg — null on an empty window', () => {
    expect(run(count(), [1, 2, 3])).toBe(3);
    expect(run(sum(self<number>), [1, 2, 3])).toBe(6);
    expect(run(min(self<number>), [3, -1, 2])).toBe(-1);
    expect(run(max(self<number>), [3, -1, 2])).toBe(3);
    expect(run(avg(self<number>), [1, 2])).toBe(1.5);
    expect([
      run(min(self<number>), []),
      run(max(self<number>), []),
      run(avg(self<number>), []),
    ]).toEqual([null, null, null]);
  });

  it('integer sums stay exact past 2^53, as a decimal string', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(run(sum(self<number>), [big, big, 7])).toBe((BigInt(big) * 2n + 7n).toString());
    const agg = sum(self<number>);
    const merged = agg.merge(
      agg.load(agg.save(agg.add(agg.init(), big))),
      agg.add(agg.add(agg.init(), big), 1),
    );
    expect(agg.result(merged)).toBe((BigInt(big) * 2n + 1n).toString());
  });

  it('cents add up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 500, size: 'max' }),
        (cents) => {
          expect(run(sum(self<number>), cents)).toBe(cents.reduce((a, b) => a + b, 0));
        },
      ),
    );
  });

  it('distinct counts and values, exactly', () => {
    expect(run(countDistinct(self<string>), ['a', 'b', 'a'])).toBe(2);
    expect(run(distinctValues(self<string>), ['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(run(countDistinct(self<string | number>), [1, '1'])).toBe(2);
  });

  it('top-K: most frequent first, ties by value, exact counts', () => {
    expect(run(topK(self<string>, 2), ['x', 'y', 'y', 'z', 'z', 'a'])).toEqual([
      { value: 'y', count: 2 },
      { value: 'z', count: 2 },
    ]);
  });

  it('HyperLogLog stays within 3 standard errors (1.04/√4096 ≈ 1.6 %) and merges', () => {
    const hll = approxCountDistinct(self<string>, { precision: 12 });
    for (const n of [10, 1_000, 50_000]) {
      const estimate = run(
        hll,
        Array.from({ length: n }, (_, i) => `user-${i}`),
      ) as number;
      expect(Math.abs(estimate - n) / n).toBeLessThan(3 * 0.0163);
    }
    const a = Array.from({ length: 20_000 }, (_, i) => `u${i}`).reduce(
      (acc, v) => hll.add(acc, v),
      hll.init(),
    );
    const b = Array.from({ length: 20_000 }, (_, i) => `u${i + 10_000}`).reduce(
      (acc, v) => hll.add(acc, v),
      hll.init(),
    );
    const merged = hll.result(hll.merge(hll.load(hll.save(a)), b)) as number;
    expect(Math.abs(merged - 30_000) / 30_000).toBeLessThan(3 * 0.0163);
  });

  it('percentiles are within the relative accuracy and survive save/load and merge', () => {
    const p = percentiles(self<number>, [0.5, 0.99], { relativeAccuracy: 0.01 });
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const result = run(p, values) as Record<string, number>;
    expect(Math.abs((result['p50'] as number) - 5_000) / 5_000).toBeLessThanOrEqual(0.01);
    expect(Math.abs((result['p99'] as number) - 9_900) / 9_900).toBeLessThanOrEqual(0.01);
    const half = (from: number) =>
      values.slice(from, from + 5_000).reduce((acc, v) => p.add(acc, v), p.init());
    expect(p.result(p.merge(p.load(p.save(half(0))), half(5_000)))).toEqual(result);
    expect(run(p, [])).toEqual({ p50: null, p99: null });
  });

  it('a sketch saved empty (or with only positive values) restores and keeps counting correctly', () => {
    const p = percentiles(self<number>, [0.5]);
    const restored = p.load(JSON.parse(JSON.stringify(p.save(p.init()))));
    expect(p.result([1, 1, 1, 5].reduce((acc, v) => p.add(acc, v), restored))).toEqual(
      p.result([1, 1, 1, 5].reduce((acc, v) => p.add(acc, v), p.init())),
    );
    const positive = p.load(JSON.parse(JSON.stringify(p.save(p.add(p.init(), 3)))));
    expect(p.result(p.add(positive, -2))).toEqual(p.result(p.add(p.add(p.init(), 3), -2)));
  });

  it('every aggregator: save → JSON → load then merge equals adding everything to one', () => {
    const aggregators: AnyAggregator<number>[] = [
      count(),
      sum(self),
      min(self),
      max(self),
      avg(self),
      countDistinct(self),
      distinctValues(self),
      topK(self, 3),
      approxCountDistinct(self),
      percentiles(self),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 })),
        fc.array(fc.integer({ min: -1000, max: 1000 })),
        (left, right) => {
          for (const agg of aggregators) {
            const fill = (vs: number[]) => vs.reduce((acc, v) => agg.add(acc, v), agg.init());
            const restored = agg.load(JSON.parse(JSON.stringify(agg.save(fill(left)))));
            expect(agg.result(agg.merge(restored, fill(right)))).toEqual(
              agg.result(fill([...left, ...right])),
            );
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('checks values: NaN and non-scalars are refused with a reason', () => {
    expect(sum(self<number>).check(Number.NaN)).toMatch(/not a finite number/);
    expect(countDistinct(self<never>).check({} as never)).toMatch(
      /not a string, number or boolean/,
    );
    expect(sum(self<number>).check(3)).toBeUndefined();
  });
});
