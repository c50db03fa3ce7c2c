import { SinkError } from '@rta/sink-core';
import { FIXED_COLUMNS } from './base-columns';
import type { DerivedColumn, TableSpec, ValueColumn } from './table-spec';
import { baseTable } from './table-spec';
import { isNumberType, isSum, rollupOf } from './view-columns';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Every table and column name is checked before any SQL is built (names are then quoted), and so
 * is everything the derived tables and view rely on: a bad spec fails at open, naming the metric.
 */
export function validateSpec(spec: TableSpec): void {
  checkIdentifiers(spec);
  checkUnique(spec);
  for (const value of spec.values) checkValue(spec, value);
  for (const column of spec.derived ?? []) checkDerived(spec, column);
  checkRanking(spec);
}

/** Each spec valid, and no two of them naming the same table or view. */
export function validateSpecs(specs: readonly TableSpec[]): void {
  specs.forEach(validateSpec);
  const owner = new Map<string, string>();
  for (const spec of specs) {
    for (const name of [spec.table, ...(spec.ranking ? [spec.ranking.view] : [])]) {
      const other = owner.get(name);
      if (other !== undefined) throw badSpec(spec, `${name} is also the table or view of ${other}`);
      owner.set(name, spec.metric);
    }
  }
}

function badSpec(spec: TableSpec, message: string): SinkError {
  return new SinkError('BAD_SPEC', `metric ${spec.metric}: ${message}`, false, {
    metric: spec.metric,
  });
}

function checkIdentifiers(spec: TableSpec): void {
  const names = [
    spec.table,
    baseTable(spec),
    ...spec.keys.map((k) => k.column),
    ...spec.values.map((v) => v.column),
    ...(spec.derived ?? []).map((d) => d.column),
    ...(spec.ranking ? [spec.ranking.view] : []),
  ];
  const bad = names.find((name) => !IDENTIFIER.test(name));
  if (bad === undefined) return;
  const message =
    `metric ${spec.metric}: ${JSON.stringify(bad)} is not a valid table or column name` +
    ' (lowercase snake_case, ≤ 63 characters; a table name ≤ 50, as `_by_partition` is added)';
  throw new SinkError('BAD_IDENTIFIER', message, false, { metric: spec.metric, value: bad });
}

function checkUnique(spec: TableSpec): void {
  const own = [...spec.keys, ...spec.values, ...(spec.derived ?? [])].map((c) => c.column);
  const names = [...FIXED_COLUMNS, ...own];
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    const fixed = FIXED_COLUMNS.includes(repeated);
    const reserved = fixed ? ` (reserved: ${FIXED_COLUMNS.join(', ')})` : '';
    throw badSpec(spec, `column ${repeated} is named twice${reserved}`);
  }
  if (spec.ranking && spec.ranking.view === spec.table) {
    throw badSpec(spec, `ranking view ${spec.ranking.view} has the metric view's name`);
  }
}

function checkValue(spec: TableSpec, value: ValueColumn): void {
  if (value.minorUnits !== undefined && !isIntegerIn(value.minorUnits, 0, 6)) {
    throw badSpec(spec, `minorUnits of ${value.column} must be 0..6`);
  }
  const rollup = rollupOf(value);
  if (rollup === undefined) {
    throw badSpec(
      spec,
      `value ${value.column} (${value.type}) needs a rollup: how the view combines partitions` +
        " ('min', 'max', or 'onePartition' when every key lives in one partition)",
    );
  }
  if (isSum(rollup) && !isNumberType(value.type)) {
    throw badSpec(spec, `value ${value.column} (${value.type}) cannot be summed: rollup ${rollup}`);
  }
  if (value.type === 'jsonb' && rollup !== 'onePartition') {
    throw badSpec(spec, `value ${value.column} (jsonb) has no ${rollup}: use 'onePartition'`);
  }
}

function checkDerived(spec: TableSpec, column: DerivedColumn): void {
  const value = (name: string) => spec.values.find((v) => v.column === name);
  const needSum = (name: string) => {
    const found = value(name);
    if (!found || !isSum(rollupOf(found)) || !isNumberType(found.type)) {
      throw badSpec(spec, `${column.column} (${column.kind}) needs ${name}, a summed value`);
    }
  };
  const needTime = (name: string) => {
    if (value(name)?.type !== 'timestamptz') {
      throw badSpec(spec, `${column.column} (seconds) needs ${name}, a timestamptz value`);
    }
  };
  if (column.kind === 'ratio') {
    [column.numerator, column.denominator].forEach(needSum);
    if (!isIntegerIn(column.decimals, 0, 12)) {
      throw badSpec(spec, `decimals of ${column.column} must be 0..12`);
    }
  }
  if (column.kind === 'isPositive') needSum(column.of);
  if (column.kind === 'seconds') [column.from, column.to].forEach(needTime);
}

function checkRanking(spec: TableSpec): void {
  const { ranking } = spec;
  if (!ranking) return;
  const by = spec.values.find((v) => v.column === ranking.by);
  if (!by || !isNumberType(by.type)) {
    throw badSpec(spec, `ranking ${ranking.view} is by ${ranking.by}, which is not a number value`);
  }
  if (spec.keys.some((k) => k.column === 'rank') || ranking.by === 'rank') {
    throw badSpec(spec, `ranking ${ranking.view} adds a column rank: rename the key or value rank`);
  }
  if (!isIntegerIn(ranking.limit, 1, Number.MAX_SAFE_INTEGER)) {
    throw badSpec(spec, `ranking ${ranking.view} needs a positive integer limit`);
  }
}

const isIntegerIn = (n: number, min: number, max: number) =>
  Number.isInteger(n) && n >= min && n <= max;
