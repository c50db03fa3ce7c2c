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

/**
 * One statement for a whole batch: arrays in (`unnest`), versioned upsert out. A live row is
 * replaced by a higher version or by any final one; a final row only by a final one of a higher
 * version: replays and stale snapshots change nothing, and a final is never undone by a live one.
 */
export function upsertSql(spec: TableSpec): string {
  const columns = [...keyColumns(spec), 'window_end', ...spec.values.map((v) => v.column), 'version', 'is_final'];
  const types = ['timestamptz', ...spec.keys.map((k) => k.type), 'integer', 'timestamptz', ...spec.values.map((v) => (v.minorUnits ? 'numeric' : v.type)), 'bigint', 'boolean'];
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const select = columns.map((c) => {
    const value = spec.values.find((v) => v.column === c);
    return value?.minorUnits ? `u.${quote(c)} / ${10 ** value.minorUnits}` : `u.${quote(c)}`;
  });
  const update = ['window_end', ...spec.values.map((v) => v.column), 'version', 'is_final'].map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`);
  return [
    `INSERT INTO ${quote(baseTable(spec))} AS t (${columns.map(quote).join(', ')})`,
    `SELECT ${select.join(', ')} FROM unnest(${params}) AS u(${columns.map(quote).join(', ')})`,
    `ON CONFLICT (${keyColumns(spec).map(quote).join(', ')}) DO UPDATE SET ${update.join(', ')}, "updated_at" = now()`,
    'WHERE (NOT t."is_final" AND (EXCLUDED."is_final" OR EXCLUDED."version" > t."version"))',
    '   OR (t."is_final" AND EXCLUDED."is_final" AND EXCLUDED."version" > t."version")',
  ].join('\n');
}

/** Retractions: delete a live session row unless a newer version (or a final) is already stored. */
export function deleteSql(spec: TableSpec): string {
  const keys = keyColumns(spec);
  const types = ['timestamptz', ...spec.keys.map((k) => k.type), 'integer'];
  const params = [...types.map((t, i) => `$${i + 1}::${t}[]`), `$${types.length + 1}::bigint[]`].join(', ');
  const match = keys.map((c) => `t.${quote(c)} = d.${quote(c)}`).join(' AND ');
  return `DELETE FROM ${quote(baseTable(spec))} AS t USING unnest(${params}) AS d(${[...keys, 'version'].map(quote).join(', ')}) WHERE ${match} AND NOT t."is_final" AND t."version" <= d."version"`;
}
