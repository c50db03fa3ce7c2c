import { SinkError } from '@rta/sink-core';
import type { Retraction, WindowResult } from '@rta/windowing';
import { keyColumns, TableSpec } from './table-spec';

/** Column arrays for `upsertSql`: one array per column, one element per result. */
export function upsertParams(spec: TableSpec, results: readonly WindowResult[]): unknown[][] {
  const rows = newestPerRow(spec, results);
  const columns: unknown[][] = Array.from(
    { length: keyColumns(spec).length + 3 + spec.values.length },
    () => [],
  );
  for (const r of rows) {
    const row = [
      iso(r.windowStartMs),
      ...spec.keys.map((k) => keyValue(spec, r.key, k.field)),
      r.partition,
      iso(r.windowEndMs),
      ...spec.values.map((v) => columnValue(spec, r, v.field, v.type)),
      r.version,
      r.final,
    ];
    row.forEach((value, i) => (columns[i] as unknown[]).push(value));
  }
  return columns;
}

export function deleteParams(spec: TableSpec, retractions: readonly Retraction[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: keyColumns(spec).length + 1 }, () => []);
  for (const r of retractions) {
    const row = [
      iso(r.windowStartMs),
      ...spec.keys.map((k) => keyValue(spec, r.key, k.field)),
      r.partition,
      r.version,
    ];
    row.forEach((value, i) => (columns[i] as unknown[]).push(value));
  }
  return columns;
}

/**
 * One statement may not touch a row twice: per primary key (as the table sees it: 1 and '1' are
 * one text key) keep the one the upsert rule would keep (a final over a live one, then the newest).
 */
function newestPerRow(spec: TableSpec, results: readonly WindowResult[]): WindowResult[] {
  const newest = new Map<string, WindowResult>();
  for (const r of results) {
    const pk = JSON.stringify([
      r.windowStartMs,
      ...spec.keys.map((k) => String(r.key[k.field])),
      r.partition,
    ]);
    const held = newest.get(pk);
    if (!held || (r.final && !held.final) || (r.final === held.final && r.version > held.version))
      newest.set(pk, r);
  }
  return [...newest.values()];
}

/** Primary-key columns are NOT NULL: a result with a null key field cannot be stored. */
export function hasKeys(spec: TableSpec, key: Readonly<Record<string, unknown>>): boolean {
  return spec.keys.every((k) => key[k.field] !== null && key[k.field] !== undefined);
}

function keyValue(spec: TableSpec, key: Readonly<Record<string, unknown>>, field: string): unknown {
  const value = key[field];
  if (value === undefined || value === null) {
    throw new SinkError(
      'MISSING_KEY',
      `metric ${spec.metric}: result has no key field ${field} (a NOT NULL primary-key column)`,
      false,
      { metric: spec.metric, value: key },
    );
  }
  return value;
}

function columnValue(spec: TableSpec, result: WindowResult, field: string, type: string): unknown {
  const value = result.values[field];
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new SinkError(
      'MISSING_VALUE',
      `metric ${spec.metric}: value ${field} is ${String(value)} for window ${iso(result.windowStartMs)}`,
      false,
      { metric: spec.metric, value },
    );
  }
  if (value === null) return null; // e.g. the min of a window without values: the column must allow NULL
  if (type === 'timestamptz') return iso(Number(value));
  return type === 'jsonb' || typeof value === 'object' ? JSON.stringify(value) : value;
}

const iso = (ms: number) => new Date(ms).toISOString();
