import { baseColumns, BaseColumn } from './base-columns';
import type { TableSpec } from './table-spec';
import { baseTable, keyColumns, quote } from './table-spec';
import { rankingColumns, viewColumns } from './view-columns';

/**
 * The DDL of a metric, derived from its TableSpec: the base table `<table>_by_partition` (one
 * row per window, key and source partition), the view `<table>` rolling the partitions up, and
 * the ranking view if the spec has one. What a new database gets; see evolve-tables.ts for an
 * existing one.
 */
export function metricTableDdl(spec: TableSpec): string[] {
  const ranking = createRankingSql(spec);
  return [createBaseTableSql(spec), createViewSql(spec), ...(ranking ? [ranking] : [])];
}

export function createBaseTableSql(spec: TableSpec): string {
  const columns = baseColumns(spec).map((c) => `  ${columnDefinition(c)},`);
  const primaryKey = `  PRIMARY KEY (${keyColumns(spec).map(quote).join(', ')})`;
  return [`CREATE TABLE ${quote(baseTable(spec))} (`, ...columns, primaryKey, ')'].join('\n');
}

function columnDefinition(column: BaseColumn): string {
  const notNull = column.notNull ? ' NOT NULL' : '';
  const byDefault = column.default ? ` DEFAULT ${column.default}` : '';
  return `${quote(column.name)} ${column.type}${notNull}${byDefault}`;
}

/** Nullable: the rows already in the table have no value for it. */
export function addValueColumnSql(spec: TableSpec, column: BaseColumn): string {
  return `ALTER TABLE ${quote(baseTable(spec))} ADD COLUMN ${quote(column.name)} ${column.type}`;
}

export function dropNotNullSql(spec: TableSpec, column: string): string {
  return `ALTER TABLE ${quote(baseTable(spec))} ALTER COLUMN ${quote(column)} DROP NOT NULL`;
}

export function createViewSql(spec: TableSpec): string {
  const columns = viewColumns(spec).map(({ name, expression }) =>
    expression === quote(name) ? expression : `${expression} AS ${quote(name)}`,
  );
  const groupBy = ['window_start', ...spec.keys.map((k) => k.column)].map(quote).join(', ');
  return [
    `CREATE VIEW ${quote(spec.table)} AS`,
    `  SELECT ${columns.join(',\n         ')}`,
    `  FROM ${quote(baseTable(spec))}`,
    `  GROUP BY ${groupBy}`,
  ].join('\n');
}

/** Ranked over the view's sums, so the ranking is exact over all partitions. */
export function createRankingSql(spec: TableSpec): string | undefined {
  const { ranking } = spec;
  if (!ranking) return undefined;
  const keys = spec.keys.map((k) => quote(k.column));
  const shown = rankingColumns(spec).filter((c) => c !== 'rank');
  const order = [`${quote(ranking.by)} DESC`, ...keys].join(', ');
  return [
    `CREATE VIEW ${quote(ranking.view)} AS`,
    `  SELECT ${rankingColumns(spec).map(quote).join(', ')}`,
    `  FROM (SELECT ${shown.map(quote).join(', ')},`,
    '               rank() OVER (PARTITION BY "window_start"',
    `                            ORDER BY ${order}) AS "rank"`,
    `        FROM ${quote(spec.table)}) ranked`,
    `  WHERE "rank" <= ${ranking.limit}`,
  ].join('\n');
}

export function dropViewSql(view: string): string {
  return `DROP VIEW IF EXISTS ${quote(view)}`;
}
