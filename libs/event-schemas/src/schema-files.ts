import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvscFile } from './codegen';

/** Where the .avsc files, the source of truth, live. */
export const SCHEMA_DIR = join(__dirname, '..', 'schemas');

export function readSchemaFiles(dir = SCHEMA_DIR): AvscFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.avsc'))
    .sort()
    .map((fileName) => ({
      fileName,
      schema: JSON.parse(readFileSync(join(dir, fileName), 'utf8')),
    }));
}
