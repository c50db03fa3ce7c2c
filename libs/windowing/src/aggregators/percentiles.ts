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
  for (const q of quantiles) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  return {
    kind: 'percentiles', select, check: checkFinite,
    init: () => new DDSketch({ relativeAccuracy }),
    add: (sketch, value) => (sketch.accept(value), sketch),
    merge: (a, b) => (a.merge(b), a),
    result: (sketch) =>
      Object.fromEntries(quantiles.map((q) => [`p${Math.round(q * 1000) / 10}`, sketch.count === 0 ? null : sketch.getValueAtQuantile(q)])),
    save: (sketch) => Array.from(sketch.toProto(), (byte) => byte.toString(16).padStart(2, '0')).join(''),
    load: (saved) => DDSketch.fromProto(Uint8Array.from((saved as string).match(/../g) ?? [], (h) => parseInt(h, 16))) as DDSketch,
  };
}
