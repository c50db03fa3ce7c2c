import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Pool, PoolConfig } from 'pg';
import { MIGRATIONS } from './generated/migrations';
import { Migration, readMigrations } from './migration-files';

/**
 * For tests against the real PostgreSQL (`@rta/sink-postgres/testing`, not the lib's API):
 * schemas of their own, so that a test may create, alter and drop tables without touching the
 * tables everyone else's tests and apps share.
 */

/** 002 and 003 as they were when they created the catalog's metric tables by hand. */
export const LEGACY_MIGRATIONS_DIR = join(__dirname, '..', 'fixtures', 'legacy-migrations');

/** The migrations a database created before metric tables were derived has applied. */
export function legacyMigrations(): Migration[] {
  const legacy = readMigrations(LEGACY_MIGRATIONS_DIR);
  return MIGRATIONS.map((m) => legacy.find((old) => old.version === m.version) ?? m);
}

export interface TestSchema {
  readonly name: string;
  /** Connections made with it create and find tables in this schema only (its search_path). */
  readonly connection: PoolConfig;
  /** A small pool of such connections, for a test's own queries. */
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** A new empty schema in the database of `databaseUrl`; `drop()` removes it and its tables. */
export async function freshSchema(databaseUrl: string): Promise<TestSchema> {
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${name}`);
  const connection = { connectionString: databaseUrl, options: `-c search_path=${name}` };
  const pool = new Pool({ ...connection, max: 2 });
  return {
    name,
    connection,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}

/** The structure of the current schema, to compare two databases or one before and after. */
export interface SchemaSnapshot {
  readonly columns: readonly Record<string, unknown>[];
  readonly primaryKeys: readonly Record<string, unknown>[];
  readonly views: readonly { readonly view: string; readonly definition: string }[];
  /** Relation ids: equal before and after only if nothing was dropped and created again. */
  readonly relationIds: Readonly<Record<string, string>>;
}

const COLUMNS = `
  SELECT table_name, ordinal_position, column_name, data_type, numeric_precision, numeric_scale,
         is_nullable, column_default
  FROM information_schema.columns WHERE table_schema = current_schema()
  ORDER BY table_name, ordinal_position`;
const PRIMARY_KEYS = `
  SELECT k.table_name, array_agg(k.column_name::text ORDER BY k.ordinal_position) AS columns
  FROM information_schema.table_constraints c
  JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
  WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()
  GROUP BY k.table_name ORDER BY k.table_name`;
const VIEWS = `
  SELECT table_name AS view, pg_get_viewdef(format('%I', table_name)::regclass) AS definition
  FROM information_schema.views WHERE table_schema = current_schema() ORDER BY table_name`;
const RELATION_IDS = `
  SELECT c.relname, c.oid::text AS id FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
  WHERE c.relkind IN ('r', 'v')`;

export async function schemaSnapshot(pool: Pool): Promise<SchemaSnapshot> {
  const rows = async (sql: string) => (await pool.query(sql)).rows;
  const ids = await rows(RELATION_IDS);
  return {
    columns: await rows(COLUMNS),
    primaryKeys: await rows(PRIMARY_KEYS),
    views: (await rows(VIEWS)) as SchemaSnapshot['views'],
    relationIds: Object.fromEntries(ids.map((r) => [r.relname as string, r.id as string])),
  };
}
