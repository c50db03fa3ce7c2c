/**
 * Turns the .avsc files into TypeScript declarations, so the types cannot drift from the schemas
 * (a test regenerates and compares). Covers the Avro subset these schemas use: records, enums,
 * primitives, nullable unions and logical types over their underlying primitive.
 */
export interface AvscFile {
  /** e.g. `game-event.v2.avsc` */
  readonly fileName: string;
  readonly schema: AvroRecord;
}

interface AvroRecord {
  type: 'record';
  name: string;
  doc?: string;
  fields: { name: string; type: AvroType; doc?: string }[];
}
interface AvroEnum {
  type: 'enum';
  name: string;
  symbols: string[];
}
type AvroType =
  string | AvroType[] | AvroRecord | AvroEnum | { type: string; logicalType?: string };

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  string: 'string',
  bytes: 'Buffer',
};

const HEADER =
  '// Generated from libs/event-schemas/schemas/*.avsc by `nx run event-schemas:codegen`. Do not edit.\n';

export function generateTypes(files: readonly AvscFile[]): string {
  const enums = new Map<string, string[]>();
  const records = files.map((file) => renderRecord(file, enums));
  const enumBlocks = [...enums].map(([name, symbols]) => renderEnum(name, symbols));
  return `${HEADER}\n${[...enumBlocks, ...records].join('\n\n')}\n`;
}

/**
 * The .avsc files as a module: the schemas travel inside the built code (a bundle, a published
 * package) instead of being read from a folder next to the sources at run time.
 */
export function generateSchemaModule(files: readonly AvscFile[]): string {
  const entries = files.map(
    (f) => `  { fileName: ${JSON.stringify(f.fileName)}, schema: ${JSON.stringify(f.schema)} },`,
  );
  const type = 'readonly { readonly fileName: string; readonly schema: object }[]';
  return `${HEADER}\nexport const AVSC_FILES: ${type} = [\n${entries.join('\n')}\n];\n`;
}

/** `game-event.v2.avsc` → `GameEventV2` */
export function typeNameOf(fileName: string): string {
  const [base, version] = fileName.replace(/\.avsc$/, '').split('.');
  const pascal = (base ?? '')
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${pascal}${(version ?? '').toUpperCase()}`;
}

function renderRecord(file: AvscFile, enums: Map<string, string[]>): string {
  const fields = file.schema.fields.map((field) => {
    const doc = field.doc ? `  /** ${field.doc} */\n` : '';
    return `${doc}  readonly ${field.name}: ${tsType(field.type, enums)};`;
  });
  const doc = `/** ${file.schema.doc ?? file.schema.name} (${file.fileName}) */\n`;
  return `${doc}export interface ${typeNameOf(file.fileName)} {\n${fields.join('\n')}\n}`;
}

function renderEnum(name: string, symbols: string[]): string {
  const constName = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const list = symbols.map((s) => `'${s}'`).join(', ');
  return `export const ${constName}_SYMBOLS = [${list}] as const;\nexport type ${name} = (typeof ${constName}_SYMBOLS)[number];`;
}

function tsType(type: AvroType, enums: Map<string, string[]>): string {
  if (typeof type === 'string') return primitive(type);
  if (Array.isArray(type)) return type.map((t) => tsType(t, enums)).join(' | ');
  if (type.type === 'enum') return registerEnum(type as AvroEnum, enums);
  if (type.type === 'record')
    throw new Error(`nested record ${(type as AvroRecord).name}: not supported by codegen`);
  return primitive(type.type);
}

function primitive(name: string): string {
  const ts = PRIMITIVES[name];
  if (!ts) throw new Error(`Avro type ${name}: not supported by codegen`);
  return ts;
}

function registerEnum(type: AvroEnum, enums: Map<string, string[]>): string {
  const known = enums.get(type.name);
  if (known && known.join() !== type.symbols.join()) {
    throw new Error(`enum ${type.name} has different symbols in different schema versions`);
  }
  enums.set(type.name, type.symbols);
  return type.name;
}
