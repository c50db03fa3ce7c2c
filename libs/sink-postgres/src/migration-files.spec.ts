import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './generated/migrations';
import { generateMigrationModule, readMigrations } from './migration-files';

describe('generated migrations', () => {
  it('equal the .sql files (run `nx run sink-postgres:codegen` after adding one)', () => {
    expect(readFileSync(join(__dirname, 'generated', 'migrations.ts'), 'utf8')).toBe(
      generateMigrationModule(readMigrations()),
    );
    expect(MIGRATIONS).toEqual(readMigrations());
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
