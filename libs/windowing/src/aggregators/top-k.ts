import { Aggregator, checkScalar, Scalar } from './aggregator';
import { compareScalars } from './distinct';

export interface TopEntry {
  readonly value: Scalar;
  readonly count: number;
}

/**
 * The `k` most frequent values with their exact counts, most frequent first (ties by value, so
 * the answer is deterministic). Exact: memory grows with the distinct values per window.
 */
export function topK<E>(
  select: (event: E) => Scalar | undefined,
  k: number,
): Aggregator<E, Map<Scalar, number>, Scalar, TopEntry[]> {
  return {
    kind: 'topK',
    select,
    check: checkScalar,
    init: () => new Map(),
    add: (acc, value) => acc.set(value, (acc.get(value) ?? 0) + 1),
    merge: (a, b) => {
      for (const [v, n] of b) a.set(v, (a.get(v) ?? 0) + n);
      return a;
    },
    result: (acc) =>
      [...acc]
        .sort(([va, na], [vb, nb]) => nb - na || compareScalars(va, vb))
        .slice(0, k)
        .map(([value, count]) => ({ value, count })),
    save: (acc) => [...acc],
    load: (saved) => new Map(saved as [Scalar, number][]),
  };
}
