import { metricTableDdl } from '@rta/sink-postgres';
import { legacyMigrations } from '@rta/sink-postgres/testing';
import { ecommerceMetrics, gameMetrics } from './index';

/**
 * The DDL derived from each catalog entry is, statement for statement, what the hand-written
 * migrations 002 and 003 said (up to layout, quotes and case); the integration spec
 * postgres-tables.integration.spec.ts compares the structures PostgreSQL made of both.
 */
const specs = [...gameMetrics(), ...ecommerceMetrics()].flatMap((m) =>
  m.postgres ? [m.postgres] : [],
);

/** One statement without layout, quotes or case. */
function normalized(statement: string): string {
  return statement
    .replace(/"/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim()
    .toLowerCase();
}

/** The statements of the old 002 and 003, by the table or view each creates. */
function legacyStatements(): Map<string, string> {
  const sql = legacyMigrations()
    .filter((m) => m.version === 2 || m.version === 3)
    .map((m) => m.sql.replace(/--[^\n]*/g, '')) // comments hold semicolons too
    .join('\n');
  const statements = sql.split(';').map(normalized).filter(Boolean);
  return new Map(statements.map((s) => [/^create (?:table|view) (\w+)/.exec(s)?.[1] ?? s, s]));
}

it('derives from every catalog entry the statements the old migrations wrote by hand', () => {
  const legacy = legacyStatements();
  for (const spec of specs) {
    const ranking = spec.ranking ? [spec.ranking.view] : [];
    const created = [`${spec.table}_by_partition`, spec.table, ...ranking];
    const expected = { metric: spec.metric, ddl: created.map((name) => legacy.get(name)) };
    expect({ metric: spec.metric, ddl: metricTableDdl(spec).map(normalized) }).toEqual(expected);
    created.forEach((name) => legacy.delete(name));
  }
  expect([...legacy.keys()]).toEqual([]); // and nothing the migrations made is left out
});
