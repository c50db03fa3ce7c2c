import { Aggregator, checkFinite, identity } from './aggregator';

type Selector<E, V> = (event: E) => V | undefined;

/** Number of events (that pass the metric's filter). */
export function count<E>(): Aggregator<E, number, true, number> {
  return {
    kind: 'count',
    select: () => true,
    check: () => undefined,
    init: () => 0,
    add: (acc) => acc + 1,
    merge: (a, b) => a + b,
    result: identity,
    save: identity,
    load: (s) => s as number,
  };
}

/**
 * Sum of the selected numbers. Integer sums (money in minor units) are exact at any size: past
 * ±2^53 the accumulator moves to a BigInt and the result becomes a decimal string. Sums with
 * fractions use IEEE doubles (keep money in minor units).
 */
export function sum<E>(
  select: Selector<E, number>,
): Aggregator<E, number | bigint, number, number | string> {
  return {
    kind: 'sum',
    select,
    check: checkFinite,
    init: () => 0,
    add: addExact,
    merge: (a, b) => (typeof b === 'bigint' ? addBig(a, b) : addExact(a, b)),
    result: (acc) => (typeof acc === 'bigint' ? acc.toString() : acc),
    save: (acc) => (typeof acc === 'bigint' ? acc.toString() : acc),
    load: (s) => (typeof s === 'string' ? BigInt(s) : (s as number)),
  };
}

function addExact(acc: number | bigint, value: number): number | bigint {
  if (typeof acc === 'bigint')
    return Number.isInteger(value) ? acc + BigInt(value) : Number(acc) + value;
  const next = acc + value;
  if (Number.isSafeInteger(next) || !Number.isInteger(acc) || !Number.isInteger(value)) return next;
  return BigInt(acc) + BigInt(value);
}

function addBig(a: number | bigint, b: bigint): number | bigint {
  if (typeof a === 'bigint') return a + b;
  return Number.isInteger(a) ? BigInt(a) + b : a + Number(b);
}

interface Extreme {
  value: number | null;
}

function extreme<E>(
  kind: 'min' | 'max',
  select: Selector<E, number>,
): Aggregator<E, Extreme, number, number | null> {
  const better = kind === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  const pick = (a: number | null, b: number | null) =>
    a === null ? b : b === null ? a : better(b, a) ? b : a;
  return {
    kind,
    select,
    check: checkFinite,
    init: () => ({ value: null }),
    add: (acc, value) => ((acc.value = pick(acc.value, value)), acc),
    merge: (a, b) => ({ value: pick(a.value, b.value) }),
    result: (acc) => acc.value,
    save: (acc) => acc.value,
    load: (s) => ({ value: s as number | null }),
  };
}

/** Smallest selected number, or null for a window with none. */
export const min = <E>(select: Selector<E, number>) => extreme('min', select);
/** Largest selected number, or null for a window with none. */
export const max = <E>(select: Selector<E, number>) => extreme('max', select);

interface Mean {
  sum: number;
  count: number;
}

/** Arithmetic mean of the selected numbers (sum / count), or null for a window with none. */
export function avg<E>(select: Selector<E, number>): Aggregator<E, Mean, number, number | null> {
  return {
    kind: 'avg',
    select,
    check: checkFinite,
    init: () => ({ sum: 0, count: 0 }),
    add: (acc, value) => ((acc.sum += value), (acc.count += 1), acc),
    merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
    result: (acc) => (acc.count === 0 ? null : acc.sum / acc.count),
    save: (acc) => [acc.sum, acc.count],
    load: (s) => ({ sum: (s as number[])[0] ?? 0, count: (s as number[])[1] ?? 0 }),
  };
}
