import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMigrationModule, readMigrations } from '../src/migration-files';

const target = join(__dirname, '..', 'src', 'generated', 'migrations.ts');
writeFileSync(target, generateMigrationModule(readMigrations()));
console.log(`wrote ${target}`);
