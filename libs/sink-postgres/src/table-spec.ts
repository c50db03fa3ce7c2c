export type KeyType = 'text' | 'integer' | 'bigint' | 'boolean';
export type ValueType =
  'bigint' | 'integer' | 'numeric' | 'double precision' | 'text' | 'jsonb' | 'timestamptz';

/**
 * How the view combines one value's rows of the source partitions into one row per (window, key).
 * - `sum`: counts and money: the partitions' parts add up. The default for number types.
 * - `disjointSum`: distinct counts. Distinct counts do not add up in general; these do only
 *   because each counted id lives in one partition (the topic is keyed by it). Same SQL as `sum`:
 *   the name states the assumption where the metric is declared.
 * - `min`, `max`: extremes, first and last times.
 * - `onePartition`: a value that cannot be combined across partitions (a list of distinct
 *   values): right only when every key's rows are in one partition; the view shows that value.
 * Text, jsonb and timestamptz values have no default: their entry must say which it is.
 */
export type Rollup = 'sum' | 'disjointSum' | 'min' | 'max' | 'onePartition';

export interface KeyColumn {
  readonly column: string;
  readonly field: string;
  readonly type: KeyType;
}

export interface ValueColumn {
  readonly column: string;
  readonly field: string;
  readonly type: ValueType;
  /**
   * Stores an integer of minor units as an exact decimal `numeric(18, minorUnits)` (2: cents,
   * 123 → 1.23), divided in SQL so that no float ever touches money (3: ms → seconds).
   */
  readonly minorUnits?: number;
  /**
   * NOT NULL in a newly created base table: for values every result has (a count). A column
   * added to an existing table is always nullable, since the rows already there lack it.
   */
  readonly notNull?: boolean;
  readonly rollup?: Rollup;
}

/**
 * A view-only column computed from rolled-up values, so that it is exact over all partitions:
 * - `ratio`: `round(sum(numerator) / sum(denominator), decimals)`, NULL when the denominator is 0;
 * - `isPositive`: whether the sum of `of` is above 0 (a session that converted);
 * - `seconds`: seconds from the rolled-up `from` time to the rolled-up `to` time.
 */
export type DerivedColumn =
  | {
      readonly column: string;
      readonly kind: 'ratio';
      readonly numerator: string;
      readonly denominator: string;
      readonly decimals: number;
    }
  | { readonly column: string; readonly kind: 'isPositive'; readonly of: string }
  | {
      readonly column: string;
      readonly kind: 'seconds';
      readonly from: string;
      readonly to: string;
    };

/** A view over the metric's view: per window, the `limit` keys of the highest value `by`. */
export interface Ranking {
  readonly view: string;
  readonly by: string;
  readonly limit: number;
}

/**
 * How one metric's results map onto PostgreSQL, and the single source of its tables: the base
 * table `<table>_by_partition` (one row per window, key and source partition, since the engine
 * keeps state per input partition) and the view `<table>` (one row per window and key) are
 * derived from it when the sink opens (metric-tables.ts).
 */
export interface TableSpec {
  readonly metric: string;
  readonly table: string;
  /** Group key fields of the result, in primary-key order. */
  readonly keys: readonly KeyColumn[];
  /** Result values. `timestamptz` takes epoch milliseconds; `jsonb` any JSON value (top-K). */
  readonly values: readonly ValueColumn[];
  /** View-only columns, after the values. */
  readonly derived?: readonly DerivedColumn[];
  readonly ranking?: Ranking;
}

export const quote = (name: string) => `"${name}"`;

export const baseTable = (spec: TableSpec) => `${spec.table}_by_partition`;

/** Primary key columns: window start, the key columns, the source partition. */
export function keyColumns(spec: TableSpec): string[] {
  return ['window_start', ...spec.keys.map((k) => k.column), 'source_partition'];
}
