/**
 * The aggregator contract (after Quix Streams): `init` an accumulator, `add` a value, read the
 * `result`; `merge` two accumulators (session windows merge, hopping windows are panes merged,
 * partitions combine); `save`/`load`
 * turn an accumulator into plain JSON data and back, for snapshots.
 *
 * `select` reads the aggregated value from an event; it returns `undefined` to skip the event
 * for this aggregator (for example a price on a non-purchase event). Anything else that is not a
 * valid value (NaN, a string where a number is needed) is reported by `check` as an error.
 */
export interface Aggregator<E, Acc, Value, Out> {
  readonly kind: string;
  /**
   * What `save` produces, when it depends on options (e.g. `hll(precision=12)`); default `kind`.
   * A restore refuses saved state of another format instead of misreading it.
   */
  readonly stateFormat?: string;
  select(event: E): Value | undefined;
  /** Returns a problem description when `value` cannot be aggregated, else undefined. */
  check(value: Value): string | undefined;
  init(): Acc;
  add(acc: Acc, value: Value): Acc;
  /**
   * May change and return `a`; never changes `b`, nor returns it (hopping panes are merged into
   * many windows).
   */
  merge(a: Acc, b: Acc): Acc;
  result(acc: Acc): Out;
  save(acc: Acc): unknown;
  load(saved: unknown): Acc;
}

// A heterogeneous list of aggregators.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAggregator<E> = Aggregator<E, any, any, unknown>;

/** Values any aggregator may group or count distinctly: plain scalars. */
export type Scalar = string | number | boolean;

export const identity = <T>(value: T): T => value;

export function checkFinite(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : `is ${String(value)}, not a finite number`;
}

export function checkScalar(value: unknown): string | undefined {
  const t = typeof value;
  if (t === 'string' || t === 'boolean') return undefined;
  return t === 'number' && Number.isFinite(value)
    ? undefined
    : `is ${String(value)}, not a string, number or boolean`;
}
