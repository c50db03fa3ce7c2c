import { SinkError } from '@rta/sink-core';
import type { TableSpec } from './table-spec';
import { baseTable } from './table-spec';

/**
 * The database holds a metric's table in a shape the sink must not change by itself (it could
 * lose data): each message names the metric, what was found, what is expected and what to do.
 */
function mismatch(spec: TableSpec, message: string, value?: unknown): SinkError {
  const details = { metric: spec.metric, ...(value === undefined ? {} : { value }) };
  return new SinkError('SCHEMA_MISMATCH', `metric ${spec.metric}: ${message}`, false, details);
}

export function columnTypeMismatch(
  spec: TableSpec,
  column: string,
  found: string,
  expected: string,
): SinkError {
  const table = baseTable(spec);
  return mismatch(
    spec,
    `column ${column} of ${table} is ${found}, the spec expects ${expected}. A type change is` +
      ' not migrated automatically (it may lose data): add a migration to sink-postgres' +
      ' (migrations/NNN_name.sql, applied before this check) that converts the column' +
      ` (ALTER TABLE IF EXISTS ${table} ALTER COLUMN ${column} TYPE ${expected} USING …:` +
      ' a new database has no such table yet),' +
      ' or store the value under a new column name.',
    { column, found, expected },
  );
}

export function missingColumn(spec: TableSpec, column: string, expected: string): SinkError {
  return mismatch(
    spec,
    `${baseTable(spec)} has no column ${column} (the spec expects ${expected}), and only value` +
      ' columns can be added: the table was not made by this sink. Rename or drop it, or give' +
      ' the metric another table name.',
    { column, found: 'missing', expected },
  );
}

export function keyMismatch(
  spec: TableSpec,
  found: readonly string[],
  expected: readonly string[],
): SinkError {
  const list = (columns: readonly string[]) => `(${columns.join(', ') || 'none'})`;
  return mismatch(
    spec,
    `${baseTable(spec)} has primary key ${list(found)}, the spec expects ${list(expected)}.` +
      ' Key columns cannot change in place (the rows there have no value for a new key, or' +
      ' would collide without an old one): give the metric a new table name in its catalog' +
      ' entry (the old table stays readable), or migrate the rows with a hand-written migration.',
    { found, expected },
  );
}

export function notA(spec: TableSpec, name: string, expected: 'table' | 'view'): SinkError {
  return mismatch(
    spec,
    `${name} exists but is not a ${expected}, which the sink needs under that name:` +
      ' rename or drop it, or give the metric another table name.',
    { relation: name },
  );
}

/** `reason` is the server's message and detail: which view depends on which. */
export function viewHasDependents(spec: TableSpec, reason: string): SinkError {
  return mismatch(
    spec,
    `view ${spec.table} must be re-created to match the spec, but other objects depend on it` +
      ` (${reason}). Drop them, open the sink again (it re-creates the view), then re-create` +
      ' them.',
  );
}
