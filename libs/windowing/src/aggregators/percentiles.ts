import { DDSketch } from '@datadog/sketches-js';
import { Aggregator, checkFinite } from './aggregator';

/**
 * Quantiles from a DDSketch (Datadog's sketches-js): every reported quantile is within
 * `relativeAccuracy` (default 1 %) of the true value, and sketches merge exactly, so partitions
 * and session windows combine without losing the guarantee.
 */
export function percentiles<E>(
  select: (event: E) => number | undefined,
  quantiles: readonly number[] = [0.5, 0.95, 0.99],
  options: { relativeAccuracy?: number } = {},
): Aggregator<E, DDSketch, number, Record<string, number | null>> {
  const relativeAccuracy = options.relativeAccuracy ?? 0.01;
  for (const q of quantiles)
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  return {
    kind: 'percentiles',
    stateFormat: `ddsketch(relativeAccuracy=${relativeAccuracy})`,
    select,
    check: checkFinite,
    init: () => new DDSketch({ relativeAccuracy }),
    add: (sketch, value) => (sketch.accept(value), sketch),
    merge: mergeSketches,
    result: (sketch) =>
      Object.fromEntries(
        quantiles.map((q) => [
          `p${Math.round(q * 1000) / 10}`,
          sketch.count === 0 ? null : sketch.getValueAtQuantile(q),
        ]),
      ),
    save: saveSketch,
    load: (saved) => loadSketch(new DDSketch({ relativeAccuracy }), saved as SavedSketch | null),
  };
}

/**
 * Field-wise merge. sketches-js 2.1.1's own `merge` drops the other sketch's negative store
 * (negative values vanish from merged quantiles), so it is not used.
 */
function mergeSketches(into: DDSketch, from: DDSketch): DDSketch {
  if (from.count === 0) return into;
  into.store.merge(from.store);
  into.negativeStore.merge(from.negativeStore);
  into.zeroCount += from.zeroCount;
  into.min = into.count === 0 ? from.min : Math.min(into.min, from.min);
  into.max = into.count === 0 ? from.max : Math.max(into.max, from.max);
  into.count += from.count;
  into.sum += from.sum;
  return into;
}

type DenseStore = DDSketch['store'];
type SavedStore = Pick<DenseStore, 'bins' | 'count' | 'minKey' | 'maxKey' | 'offset'>;
interface SavedSketch {
  store: SavedStore | null;
  negativeStore: SavedStore | null;
  zeroCount: number;
  min: number;
  max: number;
  count: number;
  sum: number;
}

/**
 * The sketch's fields as JSON, not its protobuf form: the protobuf carries the mapping's gamma,
 * and re-deriving the mapping from it shifts quantiles in the 13th digit, so a restored
 * partition would not reproduce an uninterrupted run exactly. The mapping comes from config.
 */
function saveSketch(sketch: DDSketch): SavedSketch | null {
  if (sketch.count === 0) return null; // an empty store's ±Infinity keys do not survive JSON
  const store = ({ bins, count, minKey, maxKey, offset }: DenseStore): SavedStore | null =>
    count === 0 ? null : { bins: [...bins], count, minKey, maxKey, offset };
  const { zeroCount, min, max, count, sum } = sketch;
  return {
    store: store(sketch.store),
    negativeStore: store(sketch.negativeStore),
    zeroCount,
    min,
    max,
    count,
    sum,
  };
}

function loadSketch(sketch: DDSketch, saved: SavedSketch | null): DDSketch {
  if (saved === null) return sketch;
  if (saved.store) Object.assign(sketch.store, saved.store);
  if (saved.negativeStore) Object.assign(sketch.negativeStore, saved.negativeStore);
  const { zeroCount, min, max, count, sum } = saved;
  return Object.assign(sketch, { zeroCount, min, max, count, sum });
}
