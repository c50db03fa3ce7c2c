import { SinkError } from '@rta/sink-core';
import { baseColumns, reportedTypeName } from './base-columns';
import type { FoundRelation, FoundSchema } from './found-schema';
import { metricTableDdl } from './metric-tables';
import { planTables } from './schema-plan';
import type { TableSpec } from './table-spec';
import { keyColumns } from './table-spec';
import { rankingColumns, viewColumns } from './view-columns';

const VIEWS: TableSpec = {
  metric: 'page_views',
  table: 'page_views',
  keys: [{ column: 'page', field: 'page', type: 'text' }],
  values: [{ column: 'views', field: 'views', type: 'bigint' }],
  ranking: { view: 'top_pages', by: 'views', limit: 5 },
};
const WITH_REVENUE: TableSpec = {
  ...VIEWS,
  values: [...VIEWS.values, { column: 'revenue', field: 'cents', type: 'numeric', minorUnits: 3 }],
};

const view = (names: string[]): FoundRelation => ({
  kind: 'view',
  columns: names.map((name) => ({ name, type: 'unused', notNull: false })),
  primaryKey: [],
});

/** What the sink would have created for `spec`. */
function createdFor(spec: TableSpec): Map<string, FoundRelation> {
  const columns = baseColumns(spec).map((c) => ({
    name: c.name,
    type: reportedTypeName(c.type),
    notNull: false,
  }));
  return new Map([
    [
      `${spec.table}_by_partition`,
      { kind: 'table' as const, columns, primaryKey: keyColumns(spec) },
    ],
    [spec.table, view(viewColumns(spec).map((c) => c.name))],
    ['top_pages', view(rankingColumns(spec))],
  ]);
}

function changedTable(found: FoundSchema, change: (t: FoundRelation) => FoundRelation) {
  const table = found.get('page_views_by_partition') as FoundRelation;
  return new Map([...found, ['page_views_by_partition', change(table)]]);
}

function mismatch(spec: TableSpec, found: FoundSchema): SinkError {
  try {
    planTables([spec], found);
  } catch (error) {
    return error as SinkError;
  }
  throw new Error('expected a mismatch');
}

describe('planTables', () => {
  it('creates a missing metric: its table, its view, its ranking', () => {
    expect(planTables([VIEWS], new Map())).toEqual([
      {
        spec: VIEWS,
        statements: metricTableDdl(VIEWS),
        changes: ['created page_views_by_partition, page_views, top_pages'],
      },
    ]);
  });

  it('changes nothing when the database holds what the spec derives', () => {
    expect(planTables([VIEWS], createdFor(VIEWS))).toEqual([]);
  });

  it('adds a missing value column, then re-creates the views (ranking dropped first)', () => {
    const [plan] = planTables([WITH_REVENUE], createdFor(VIEWS));
    expect(plan?.statements.map((s) => s.split('\n')[0])).toEqual([
      'ALTER TABLE "page_views_by_partition" ADD COLUMN "revenue" numeric(18,3)',
      'DROP VIEW IF EXISTS "top_pages"',
      'DROP VIEW IF EXISTS "page_views"',
      'CREATE VIEW "page_views" AS',
      'CREATE VIEW "top_pages" AS',
    ]);
    expect(plan?.changes).toEqual([
      'added column revenue to page_views_by_partition',
      're-created view page_views',
      're-created view top_pages',
    ]);
  });

  it('re-creates a view whose columns differ (a derived column added), the table untouched', () => {
    const derived = [{ column: 'loved', kind: 'isPositive', of: 'views' } as const];
    const [plan] = planTables([{ ...VIEWS, derived }], createdFor(VIEWS));
    expect(plan?.statements.some((s) => s.startsWith('ALTER'))).toBe(false);
    expect(plan?.statements.filter((s) => s.startsWith('CREATE VIEW'))).toHaveLength(2);
  });

  it('refuses a column of another type, naming metric, column, found, expected, what to do', () => {
    const found = changedTable(createdFor(WITH_REVENUE), (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'revenue' ? { ...c, type: 'bigint' } : c)),
    }));
    const error = mismatch(WITH_REVENUE, found);
    expect(error).toMatchObject({ code: 'SCHEMA_MISMATCH', retriable: false });
    expect(error.message).toMatch(/^metric page_views: column revenue of page_views_by_partition/);
    expect(error.message).toMatch(/is bigint, the spec expects numeric\(18,3\)\. .*migration/);
  });

  it('refuses other key columns', () => {
    const day = { column: 'day', field: 'day', type: 'text' as const };
    const { message } = mismatch({ ...VIEWS, keys: [...VIEWS.keys, day] }, createdFor(VIEWS));
    expect(message).toMatch(/has primary key \(window_start, page, source_partition\)/);
    expect(message).toMatch(/expects \(window_start, page, day, source_partition\)\..*new table/);
  });

  it('refuses a table without the columns every metric table has, or a relation of a kind', () => {
    const noVersion = changedTable(createdFor(VIEWS), (t) => ({
      ...t,
      columns: t.columns.filter((c) => c.name !== 'version'),
    }));
    expect(mismatch(VIEWS, noVersion).message).toMatch(/no column version \(the spec expects/);
    const table: FoundRelation = { ...view([]), kind: 'table' };
    const notAView = new Map([...createdFor(VIEWS), ['page_views', table]]);
    expect(mismatch(VIEWS, notAView).message).toMatch(/page_views exists but is not a view/);
  });
});
