import type { Pool } from 'pg';
import { connectClient } from './client';
import { classifyPgError } from './errors';
import { MIGRATIONS } from './generated/migrations';
import type { Migration } from './migration-files';

export type { Migration } from './migration-files';
/** Any constant: every instance takes the same advisory lock, so migrations run once. */
const MIGRATION_LOCK = 7_404_201;

/**
 * Applies the migrations not applied yet, each in its own transaction, under an advisory lock:
 * two instances starting together apply each migration once. Returns what it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  const client = await connectClient(pool);
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrations.filter((m) => !done.has(m.version))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
        applied.push(m.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw classifyPgError(error);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
