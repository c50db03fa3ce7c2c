import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemaModule, generateTypes } from '../src/codegen';
import { readSchemaFiles } from '../src/schema-files';

const generated = join(__dirname, '..', 'src', 'generated');
const files = readSchemaFiles();
for (const [name, text] of [
  ['types.ts', generateTypes(files)],
  ['schemas.ts', generateSchemaModule(files)],
] as const) {
  writeFileSync(join(generated, name), text);
  console.log(`wrote ${join(generated, name)}`);
}
