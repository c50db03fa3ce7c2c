import { valueColumnType } from './base-columns';
import type { DerivedColumn, Rollup, TableSpec, ValueColumn, ValueType } from './table-spec';
import { quote } from './table-spec';

/** One column of a metric's view: its name and the SQL that rolls the partitions' rows up. */
export interface ViewColumn {
  readonly name: string;
  readonly expression: string;
}

const NUMBER_TYPES: readonly ValueType[] = ['bigint', 'integer', 'numeric', 'double precision'];
const SUMS: readonly Rollup[] = ['sum', 'disjointSum'];

export const isNumberType = (type: ValueType) => NUMBER_TYPES.includes(type);
export const isSum = (rollup: Rollup | undefined) => rollup !== undefined && SUMS.includes(rollup);

/** The value's own rollup, else `sum` for numbers; other types have none (validate-spec.ts). */
export function rollupOf(value: ValueColumn): Rollup | undefined {
  return value.rollup ?? (isNumberType(value.type) ? 'sum' : undefined);
}

/** The view's columns in order: window, keys, values, derived columns, finality, last update. */
export function viewColumns(spec: TableSpec): ViewColumn[] {
  const plain = (name: string): ViewColumn => ({ name, expression: quote(name) });
  return [
    plain('window_start'),
    { name: 'window_end', expression: 'max("window_end")' },
    ...spec.keys.map((k) => plain(k.column)),
    ...spec.values.map((v) => ({ name: v.column, expression: rolledUp(v) })),
    ...(spec.derived ?? []).map((d) => ({ name: d.column, expression: derived(spec, d) })),
    { name: 'is_final', expression: 'bool_and("is_final")' },
    { name: 'updated_at', expression: 'max("updated_at")' },
  ];
}

/** The ranking view's columns: window, keys, the ranked value, its rank. */
export function rankingColumns(spec: TableSpec): string[] {
  const ranked = spec.ranking ? [spec.ranking.by, 'rank'] : [];
  return ['window_start', 'window_end', ...spec.keys.map((k) => k.column), ...ranked];
}

/** The view's value: an aggregate over partitions, cast back to the column's type when summed. */
function rolledUp(value: ValueColumn): string {
  const aggregate = aggregateOf(value);
  return isSum(rollupOf(value)) ? `${aggregate}::${valueColumnType(value)}` : aggregate;
}

/** The bare aggregate (a sum of bigints is numeric: exact inside ratios and comparisons). */
function aggregateOf(value: ValueColumn): string {
  const column = quote(value.column);
  const rollup = rollupOf(value);
  if (rollup === 'min' || rollup === 'max') return `${rollup}(${column})`;
  if (rollup === 'onePartition') {
    // jsonb has no min(): compare as text. Any one partition's value will do, as there is one.
    return value.type === 'jsonb' ? `min(${column}::text)::jsonb` : `min(${column})`;
  }
  return `sum(${column})`;
}

function derived(spec: TableSpec, column: DerivedColumn): string {
  const value = (name: string) => spec.values.find((v) => v.column === name) as ValueColumn;
  switch (column.kind) {
    case 'ratio': {
      const numerator = value(column.numerator);
      // integer division would truncate: a sum of integers is bigint
      const exact = numerator.type === 'integer' || numerator.type === 'bigint' ? '::numeric' : '';
      const denominator = aggregateOf(value(column.denominator));
      const quotient = `${aggregateOf(numerator)}${exact} / nullif(${denominator}, 0)`;
      return `round(${quotient}, ${column.decimals})`;
    }
    case 'isPositive':
      return `${aggregateOf(value(column.of))} > 0`;
    case 'seconds': {
      const interval = `${rolledUp(value(column.to))} - ${rolledUp(value(column.from))}`;
      return `extract(epoch FROM ${interval})::numeric(18,3)`;
    }
  }
}
