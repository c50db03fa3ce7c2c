import type { TableSpec, ValueColumn } from './table-spec';

/** One column of a metric's base table, as the sink creates it and expects to find it. */
export interface BaseColumn {
  readonly name: string;
  /** The type as written in DDL. */
  readonly type: string;
  readonly notNull: boolean;
  /** Window, key and bookkeeping columns cannot be added later; value columns can. */
  readonly role: 'fixed' | 'key' | 'value';
  readonly default?: string;
}

/** The columns every base table has around its keys and values. */
const WINDOW: readonly BaseColumn[] = [
  { name: 'window_start', type: 'timestamptz', notNull: true, role: 'fixed' },
  { name: 'window_end', type: 'timestamptz', notNull: true, role: 'fixed' },
];
const PARTITION: BaseColumn = {
  name: 'source_partition',
  type: 'integer',
  notNull: true,
  role: 'fixed',
};
const BOOKKEEPING: readonly BaseColumn[] = [
  { name: 'version', type: 'bigint', notNull: true, role: 'fixed' },
  { name: 'is_final', type: 'boolean', notNull: true, role: 'fixed' },
  { name: 'updated_at', type: 'timestamptz', notNull: true, role: 'fixed', default: 'now()' },
];

/** Reserved: a key or value may not take one of these names. */
export const FIXED_COLUMNS = [...WINDOW, PARTITION, ...BOOKKEEPING].map((c) => c.name);

/** The base table's columns in creation order: window, keys, partition, values, bookkeeping. */
export function baseColumns(spec: TableSpec): BaseColumn[] {
  const keys = spec.keys.map((k): BaseColumn => ({
    name: k.column,
    type: k.type,
    notNull: true,
    role: 'key',
  }));
  const values = spec.values.map((v): BaseColumn => ({
    name: v.column,
    type: valueColumnType(v),
    notNull: v.notNull ?? false,
    role: 'value',
  }));
  return [...WINDOW, ...keys, PARTITION, ...values, ...BOOKKEEPING];
}

/** Money and other minor units are exact decimals with 18 digits in all. */
export function valueColumnType(value: ValueColumn): string {
  return value.minorUnits ? `numeric(18,${value.minorUnits})` : value.type;
}

/** The name PostgreSQL's `format_type` reports for a type written in DDL, to compare the two. */
export function reportedTypeName(type: string): string {
  return type === 'timestamptz' ? 'timestamp with time zone' : type;
}
