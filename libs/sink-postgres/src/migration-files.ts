import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the `NNN_name.sql` files, the source of truth, live; the code carries them as
 * src/generated/migrations.ts.
 */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** `NNN_name.sql` files, in version order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[a-z0-9_]+\.sql$/.test(f))
    .map((f) => ({
      version: Number(f.split('_')[0]),
      name: f.replace(/\.sql$/, ''),
      sql: readFileSync(join(dir, f), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/**
 * The migrations as a module: they travel inside the built code (a bundle, a package) instead of
 * being read at run time.
 */
export function generateMigrationModule(migrations: readonly Migration[]): string {
  const entries = migrations.map(
    (m) =>
      `  { version: ${m.version}, name: ${JSON.stringify(m.name)}, sql: ${JSON.stringify(m.sql)} },`,
  );
  return [
    '// Generated from libs/sink-postgres/migrations/*.sql by `nx run sink-postgres:codegen`. Do not edit.',
    "import type { Migration } from '../migration-files';",
    '',
    `export const MIGRATIONS: readonly Migration[] = [\n${entries.join('\n')}\n];`,
    '',
  ].join('\n');
}
