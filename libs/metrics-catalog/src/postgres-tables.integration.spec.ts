import { loadServiceEndpoints } from '@rta/service-config';
import { migrate, PostgresSink, type TableSpec } from '@rta/sink-postgres';
import {
  freshSchema,
  legacyMigrations,
  schemaSnapshot,
  type TestSchema,
} from '@rta/sink-postgres/testing';
import { ecommerceMetrics, gameMetrics } from './index';

/**
 * Against the real PostgreSQL, each in a schema of its own: the tables and views derived from
 * the whole catalog are the ones the hand-written migrations 002 and 003 created, and a database
 * those migrations made opens with the catalog's specs without any change.
 */
const databaseUrl = loadServiceEndpoints().databaseUrl;
const specs: TableSpec[] = [...gameMetrics(), ...ecommerceMetrics()].flatMap((m) =>
  m.postgres ? [m.postgres] : [],
);
let legacy: TestSchema;
let derived: TestSchema;

beforeAll(async () => {
  [legacy, derived] = await Promise.all([freshSchema(databaseUrl), freshSchema(databaseUrl)]);
  await migrate(legacy.pool, legacyMigrations());
});
afterAll(() => Promise.all([legacy.drop(), derived.drop()]));

async function openAndClose(schema: TestSchema): Promise<readonly string[]> {
  const sink = await PostgresSink.open({ connection: schema.connection, tables: specs });
  await sink.close();
  return sink.schemaChanges;
}

it('a database the old migrations made opens with the catalog unchanged', async () => {
  const before = await schemaSnapshot(legacy.pool);
  expect(before.views.map((v) => v.view)).toContain('top_products');
  expect(await openAndClose(legacy)).toEqual([]);
  expect(await schemaSnapshot(legacy.pool)).toEqual(before); // relation ids too: nothing re-created
});

it('a new database gets from the catalog the tables and views of the old migrations', async () => {
  expect((await openAndClose(derived)).length).toBe(specs.length);
  const { relationIds: _new, ...fromCatalog } = await schemaSnapshot(derived.pool);
  const { relationIds: _old, ...fromMigrations } = await schemaSnapshot(legacy.pool);
  expect(fromCatalog.views).toEqual(fromMigrations.views);
  expect(fromCatalog.primaryKeys).toEqual(fromMigrations.primaryKeys);
  expect(fromCatalog.columns).toEqual(fromMigrations.columns);
});
