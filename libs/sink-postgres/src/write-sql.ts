import { rankSql } from '@rta/sink-core';
import { baseTable, keyColumns, quote, TableSpec } from './table-spec';

const STORED_RANK = rankSql('t."is_final"', 't."version"');

/**
 * One statement for a whole batch: arrays in (`unnest`), versioned upsert out: a row is replaced
 * only by a snapshot of higher rank (sink-core's version rule), so replays and stale snapshots
 * change nothing, and a final is never undone by a live one.
 */
export function upsertSql(spec: TableSpec): string {
  const values = spec.values.map((v) => v.column);
  const columns = [...keyColumns(spec), 'window_end', ...values, 'version', 'is_final'];
  const params = parameterTypes(spec)
    .map((t, i) => `$${i + 1}::${t}[]`)
    .join(', ');
  const select = columns.map((c) => {
    const value = spec.values.find((v) => v.column === c);
    return value?.minorUnits ? `u.${quote(c)} / ${10 ** value.minorUnits}` : `u.${quote(c)}`;
  });
  const update = ['window_end', ...values, 'version', 'is_final']
    .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
    .join(', ');
  const conflict = keyColumns(spec).map(quote).join(', ');
  return [
    `INSERT INTO ${quote(baseTable(spec))} AS t (${columns.map(quote).join(', ')})`,
    `SELECT ${select.join(', ')} FROM unnest(${params}) AS u(${columns.map(quote).join(', ')})`,
    `ON CONFLICT (${conflict}) DO UPDATE SET ${update}, "updated_at" = now()`,
    `WHERE ${rankSql('EXCLUDED."is_final"', 'EXCLUDED."version"')} > ${STORED_RANK}`,
  ].join('\n');
}

/** Array element types of the upsert's parameters, in `upsertParams` order (rows.ts). */
function parameterTypes(spec: TableSpec): string[] {
  const values = spec.values.map((v) => (v.minorUnits ? 'numeric' : v.type));
  const keys = spec.keys.map((k) => k.type);
  return ['timestamptz', ...keys, 'integer', 'timestamptz', ...values, 'bigint', 'boolean'];
}

/** Retractions: delete a row whose rank is at most the retraction's (a live one, no newer). */
export function deleteSql(spec: TableSpec): string {
  const keys = keyColumns(spec);
  const types = ['timestamptz', ...spec.keys.map((k) => k.type), 'integer', 'bigint'];
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const match = keys.map((c) => `t.${quote(c)} = d.${quote(c)}`).join(' AND ');
  const rows = `unnest(${params}) AS d(${[...keys, 'version'].map(quote).join(', ')})`;
  return (
    `DELETE FROM ${quote(baseTable(spec))} AS t USING ${rows} WHERE ${match}` +
    ` AND ${STORED_RANK} <= ${rankSql('false', 'd."version"')}`
  );
}
