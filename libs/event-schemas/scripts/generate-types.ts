import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypes } from '../src/codegen';
import { readSchemaFiles } from '../src/schema-files';

const target = join(__dirname, '..', 'src', 'generated', 'types.ts');
writeFileSync(target, generateTypes(readSchemaFiles()));
console.log(`wrote ${target}`);
