import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemaModule, generateTypes, typeNameOf } from './codegen';
import { readSchemaFiles } from './schema-files';

describe('generated types', () => {
  it('match the .avsc files (run `nx run event-schemas:codegen` after editing a schema)', () => {
    const committed = readFileSync(join(__dirname, 'generated', 'types.ts'), 'utf8');
    expect(committed).toBe(generateTypes(readSchemaFiles()));
  });

  it('carry the .avsc files as a module, equal to the files', async () => {
    const committed = readFileSync(join(__dirname, 'generated', 'schemas.ts'), 'utf8');
    expect(committed).toBe(generateSchemaModule(readSchemaFiles()));
    const { AVSC_FILES } = await import('./generated/schemas');
    expect(AVSC_FILES).toEqual(readSchemaFiles());
  });

  it('names types after files', () => {
    expect(typeNameOf('game-event.v2.avsc')).toBe('GameEventV2');
    expect(typeNameOf('ecommerce-event.v1.avsc')).toBe('EcommerceEventV1');
  });

  it('refuses an enum whose symbols differ between versions', () => {
    const version = (symbols: string[]) => ({
      fileName: `x.v${symbols.length}.avsc`,
      schema: {
        type: 'record' as const,
        name: 'X',
        fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols } }],
      },
    });
    expect(() => generateTypes([version(['a']), version(['a', 'b'])])).toThrow(/different symbols/);
  });
});
