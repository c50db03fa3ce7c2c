import { SinkError } from '@rta/sink-core';

export type KeyType = 'text' | 'integer' | 'bigint' | 'boolean';
export type ValueType = 'bigint' | 'integer' | 'numeric' | 'double precision' | 'text' | 'jsonb' | 'timestamptz';

/**
 * How one metric's results map onto a table (see migrations/): the base table is
 * `<table>_by_partition`, one row per (window, key, source partition); `<table>` is the view.
 */
export interface TableSpec {
  readonly metric: string;
  readonly table: string;
  /** Group key fields of the result, in primary-key order. */
  readonly keys: readonly { readonly column: string; readonly field: string; readonly type: KeyType }[];
  /**
   * Result values. `minorUnits: 2` stores an integer of cents as an exact decimal (123 → 1.23),
   * divided in SQL so that no float ever touches money (3 turns milliseconds into seconds).
   * `timestamptz` takes epoch milliseconds; `jsonb` takes any JSON value (lists, top-K).
   */
  readonly values: readonly { readonly column: string; readonly field: string; readonly type: ValueType; readonly minorUnits?: number }[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Every table and column name is checked before any SQL is built; names are then quoted. */
export function validateSpec(spec: TableSpec): void {
  const names = [spec.table, ...spec.keys.map((k) => k.column), ...spec.values.map((v) => v.column)];
  for (const name of names) {
    if (!IDENTIFIER.test(name)) {
      throw new SinkError('BAD_IDENTIFIER', `metric ${spec.metric}: ${JSON.stringify(name)} is not a valid table or column name (lowercase snake_case, ≤ 63)`, false, { metric: spec.metric, value: name });
    }
  }
  for (const v of spec.values) {
    if (v.minorUnits !== undefined && !(Number.isInteger(v.minorUnits) && v.minorUnits >= 0 && v.minorUnits <= 6)) {
      throw new SinkError('BAD_SPEC', `metric ${spec.metric}: minorUnits of ${v.column} must be 0..6`, false, { metric: spec.metric });
    }
  }
}

export const quote = (name: string) => `"${name}"`;

export const baseTable = (spec: TableSpec) => `${spec.table}_by_partition`;

/** Primary key columns: window start, the key columns, the source partition. */
export function keyColumns(spec: TableSpec): string[] {
  return ['window_start', ...spec.keys.map((k) => k.column), 'source_partition'];
}
