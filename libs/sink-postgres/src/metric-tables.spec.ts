import { BaseColumn, baseColumns } from './base-columns';
import {
  addValueColumnSql,
  createBaseTableSql,
  createViewSql,
  metricTableDdl,
} from './metric-tables';
import type { TableSpec } from './table-spec';

const ratio = (column: string, numerator: string, denominator: string, decimals: number) =>
  ({ column, kind: 'ratio', numerator, denominator, decimals }) as const;

const SESSIONS: TableSpec = {
  metric: 'sessions',
  table: 'sessions',
  keys: [{ column: 'customer_id', field: 'customer', type: 'text' }],
  values: [
    { column: 'orders', field: 'orders', type: 'bigint', notNull: true },
    { column: 'revenue', field: 'revenue', type: 'numeric', minorUnits: 2 },
    { column: 'started', field: 'started', type: 'timestamptz', rollup: 'min' },
    { column: 'ended', field: 'ended', type: 'timestamptz', rollup: 'max' },
    { column: 'pages', field: 'pages', type: 'jsonb', rollup: 'onePartition' },
    { column: 'visitors', field: 'visitors', type: 'integer', rollup: 'disjointSum' },
  ],
  derived: [
    ratio('per_order', 'revenue', 'orders', 2),
    ratio('per_head', 'orders', 'visitors', 4),
    { column: 'ordered', kind: 'isPositive', of: 'orders' },
    { column: 'seconds', kind: 'seconds', from: 'started', to: 'ended' },
  ],
  ranking: { view: 'top_sessions', by: 'orders', limit: 3 },
};

describe('the DDL derived from a TableSpec', () => {
  it('creates the base table: window, keys, partition, values, bookkeeping', () => {
    expect(createBaseTableSql(SESSIONS)).toBe(
      [
        'CREATE TABLE "sessions_by_partition" (',
        '  "window_start" timestamptz NOT NULL,',
        '  "window_end" timestamptz NOT NULL,',
        '  "customer_id" text NOT NULL,',
        '  "source_partition" integer NOT NULL,',
        '  "orders" bigint NOT NULL,',
        '  "revenue" numeric(18,2),',
        '  "started" timestamptz,',
        '  "ended" timestamptz,',
        '  "pages" jsonb,',
        '  "visitors" integer,',
        '  "version" bigint NOT NULL,',
        '  "is_final" boolean NOT NULL,',
        '  "updated_at" timestamptz NOT NULL DEFAULT now(),',
        '  PRIMARY KEY ("window_start", "customer_id", "source_partition")',
        ')',
      ].join('\n'),
    );
  });

  it('rolls each value up by its rollup; derived columns come from the rolled-up parts', () => {
    expect(createViewSql(SESSIONS).split('\n')).toEqual([
      'CREATE VIEW "sessions" AS',
      '  SELECT "window_start",',
      '         max("window_end") AS "window_end",',
      '         "customer_id",',
      '         sum("orders")::bigint AS "orders",',
      '         sum("revenue")::numeric(18,2) AS "revenue",',
      '         min("started") AS "started",',
      '         max("ended") AS "ended",',
      '         min("pages"::text)::jsonb AS "pages",',
      '         sum("visitors")::integer AS "visitors",',
      '         round(sum("revenue") / nullif(sum("orders"), 0), 2) AS "per_order",',
      '         round(sum("orders")::numeric / nullif(sum("visitors"), 0), 4) AS "per_head",',
      '         sum("orders") > 0 AS "ordered",',
      '         extract(epoch FROM max("ended") - min("started"))::numeric(18,3) AS "seconds",',
      '         bool_and("is_final") AS "is_final",',
      '         max("updated_at") AS "updated_at"',
      '  FROM "sessions_by_partition"',
      '  GROUP BY "window_start", "customer_id"',
    ]);
  });

  it('ranks over the view, ties broken by key, and makes it last (it reads the view)', () => {
    const ddl = metricTableDdl(SESSIONS);
    expect(ddl).toHaveLength(3);
    expect(ddl[2]?.split('\n')).toEqual([
      'CREATE VIEW "top_sessions" AS',
      '  SELECT "window_start", "window_end", "customer_id", "orders", "rank"',
      '  FROM (SELECT "window_start", "window_end", "customer_id", "orders",',
      '               rank() OVER (PARTITION BY "window_start"',
      '                            ORDER BY "orders" DESC, "customer_id") AS "rank"',
      '        FROM "sessions") ranked',
      '  WHERE "rank" <= 3',
    ]);
  });

  it('a metric without keys groups by window only; without a ranking it has two statements', () => {
    const values = [{ column: 'n', field: 'n', type: 'bigint' as const }];
    const total: TableSpec = { metric: 't', table: 'total', keys: [], values };
    expect(metricTableDdl(total)).toHaveLength(2);
    expect(createViewSql(total).endsWith('GROUP BY "window_start"')).toBe(true);
    expect(createBaseTableSql(total)).toContain('PRIMARY KEY ("window_start", "source_partition")');
  });

  it('adds a value column nullable, whatever the spec says: the rows there lack it', () => {
    const [orders] = baseColumns(SESSIONS).filter((c) => c.name === 'orders');
    expect(orders?.notNull).toBe(true);
    expect(addValueColumnSql(SESSIONS, orders as BaseColumn)).toBe(
      'ALTER TABLE "sessions_by_partition" ADD COLUMN "orders" bigint',
    );
  });
});
