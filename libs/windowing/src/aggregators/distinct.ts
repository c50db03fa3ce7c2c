import { Aggregator, checkScalar, Scalar } from './aggregator';

type Selector<E> = (event: E) => Scalar | undefined;

function distinctSet<E, Out>(
  kind: string,
  select: Selector<E>,
  result: (values: Set<Scalar>) => Out,
): Aggregator<E, Set<Scalar>, Scalar, Out> {
  return {
    kind,
    select,
    check: checkScalar,
    init: () => new Set(),
    add: (acc, value) => acc.add(value),
    merge: (a, b) => {
      for (const v of b) a.add(v);
      return a;
    },
    result,
    save: (acc) => [...acc],
    load: (saved) => new Set(saved as Scalar[]),
  };
}

/** Exact number of distinct values. Memory grows with the number of distinct values per window. */
export function countDistinct<E>(select: Selector<E>): Aggregator<E, Set<Scalar>, Scalar, number> {
  return distinctSet('countDistinct', select, (values) => values.size);
}

/** The distinct values themselves, sorted (e.g. the event types a user produced in a window). */
export function distinctValues<E>(
  select: Selector<E>,
): Aggregator<E, Set<Scalar>, Scalar, Scalar[]> {
  return distinctSet('distinctValues', select, (values) => [...values].sort(compareScalars));
}

export function compareScalars(a: Scalar, b: Scalar): number {
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
