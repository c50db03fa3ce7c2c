import { baseColumns, reportedTypeName } from './base-columns';
import type { FoundRelation, FoundSchema } from './found-schema';
import {
  addValueColumnSql,
  dropNotNullSql,
  createRankingSql,
  createViewSql,
  dropViewSql,
  metricTableDdl,
} from './metric-tables';
import { columnTypeMismatch, keyMismatch, missingColumn, notA } from './schema-mismatch';
import type { TableSpec } from './table-spec';
import { baseTable, keyColumns } from './table-spec';
import { rankingColumns, viewColumns } from './view-columns';

/** What one metric's tables need: DDL statements in order, and what they change in words. */
export interface TablePlan {
  readonly spec: TableSpec;
  readonly statements: readonly string[];
  readonly changes: readonly string[];
}

/** Every relation the specs own, to read them all at once. */
export function relationNames(specs: readonly TableSpec[]): string[] {
  return specs.flatMap((s) => [baseTable(s), s.table, ...(s.ranking ? [s.ranking.view] : [])]);
}

/**
 * Compares each spec with what the database holds. Safe changes are planned: a missing metric's
 * table and views are created; a missing value column is added and the views re-created; views
 * whose columns differ are re-created (they hold no data). Anything else (a column of another
 * type, other key columns) throws SCHEMA_MISMATCH. Only plans with changes are returned.
 */
export function planTables(specs: readonly TableSpec[], found: FoundSchema): TablePlan[] {
  return specs.map((spec) => planTable(spec, found)).filter((p) => p.statements.length > 0);
}

function planTable(spec: TableSpec, found: FoundSchema): TablePlan {
  const table = found.get(baseTable(spec));
  if (!table) return creation(spec);
  if (table.kind !== 'table') throw notA(spec, baseTable(spec), 'table');
  const added = missingValueColumns(spec, table);
  const relaxed = leftoverRequiredColumns(spec, table);
  const view = added.length > 0 || differs(spec, found, spec.table, columnsOfView(spec));
  const ranking = spec.ranking
    ? view || differs(spec, found, spec.ranking.view, rankingColumns(spec))
    : false;
  return {
    spec,
    statements: [
      ...relaxed.map((column) => dropNotNullSql(spec, column)),
      ...added.map((column) => addValueColumnSql(spec, column)),
      ...viewStatements(spec, view, ranking),
    ],
    changes: [
      ...relaxed.map((column) => `${baseTable(spec)}.${column} no longer required (not computed)`),
      ...added.map((column) => `added column ${column.name} to ${baseTable(spec)}`),
      ...(view ? [`re-created view ${spec.table}`] : []),
      ...(ranking ? [`re-created view ${spec.ranking?.view}`] : []),
    ],
  };
}

function creation(spec: TableSpec): TablePlan {
  const created = [baseTable(spec), spec.table, ...(spec.ranking ? [spec.ranking.view] : [])];
  return { spec, statements: metricTableDdl(spec), changes: [`created ${created.join(', ')}`] };
}

/** The ranking reads the metric view: it is dropped first and created last. */
function viewStatements(spec: TableSpec, view: boolean, ranking: boolean): string[] {
  const rankingView = spec.ranking?.view ?? '';
  return [
    ...(ranking ? [dropViewSql(rankingView)] : []),
    ...(view ? [dropViewSql(spec.table), createViewSql(spec)] : []),
    ...(ranking ? [createRankingSql(spec) ?? ''] : []),
  ];
}

/** Value columns the table lacks; any other difference in its columns or key is a mismatch. */
function missingValueColumns(spec: TableSpec, table: FoundRelation) {
  if (table.primaryKey.join() !== keyColumns(spec).join()) {
    throw keyMismatch(spec, table.primaryKey, keyColumns(spec));
  }
  return baseColumns(spec).filter((column) => {
    const expected = reportedTypeName(column.type);
    const present = table.columns.find((c) => c.name === column.name);
    if (present && present.type !== expected) {
      throw columnTypeMismatch(spec, column.name, present.type, expected);
    }
    if (!present && column.role !== 'value') throw missingColumn(spec, column.name, expected);
    return !present;
  });
}

/**
 * NOT NULL columns the spec no longer has (a value removed from the metric): new rows leave them
 * empty, so they must accept null, or every upsert would be refused.
 */
function leftoverRequiredColumns(spec: TableSpec, table: FoundRelation): string[] {
  const known = new Set([...baseColumns(spec).map((c) => c.name), 'updated_at']);
  return table.columns.filter((c) => c.notNull && !known.has(c.name)).map((c) => c.name);
}

const columnsOfView = (spec: TableSpec) => viewColumns(spec).map((c) => c.name);

/** A view is compared by its column names in order; a missing one differs. */
function differs(spec: TableSpec, found: FoundSchema, view: string, columns: string[]): boolean {
  const relation = found.get(view);
  if (!relation) return true;
  if (relation.kind !== 'view') throw notA(spec, view, 'view');
  return relation.columns.map((c) => c.name).join() !== columns.join();
}
