import type { Pool, PoolClient } from 'pg';
import { classifyPgError } from './errors';
import { MIGRATIONS } from './generated/migrations';
import type { Migration } from './migration-files';
import { withSchemaLock } from './schema-lock';

export type { Migration } from './migration-files';

const CREATE_HISTORY =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL,' +
  ' applied_at timestamptz NOT NULL DEFAULT now())';

/**
 * Applies the migrations not applied yet, each in its own transaction, under the schema lock:
 * two instances starting together apply each migration once. Returns what it applied.
 */
export function migrate(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return withSchemaLock(pool, (client) => applyMigrations(client, migrations));
}

/** The body of `migrate`, for a caller that already holds the schema lock on `client`. */
export async function applyMigrations(
  client: PoolClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  await client.query(CREATE_HISTORY);
  const history = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(history.rows.map((r) => r.version));
  const applied: string[] = [];
  for (const m of migrations.filter((m) => !done.has(m.version))) {
    await applyOne(client, m);
    applied.push(m.name);
  }
  return applied;
}

async function applyOne(client: PoolClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw classifyPgError(error);
  }
}
