import type { Type } from 'avsc';

/**
 * Reads one record body from `buf` at `pos`, to its last byte: the value, or undefined when
 * anything is off (truncated, leftover bytes, a bad union or enum index, an unsafe long), so that
 * avsc reads it again and says what, exactly as without this reader.
 */
export type FastReader = (buf: Buffer, pos: number) => object | undefined;

/** A field's type as the generated code reads it. */
type Reading =
  | { readonly kind: 'null' | 'boolean' | 'int' | 'long' | 'string' }
  | { readonly kind: 'enum'; readonly symbols: readonly string[] }
  | { readonly kind: 'nullable'; readonly nullIndex: 0 | 1; readonly value: Reading };

/**
 * Straight-line code for a flat record of the types event schemas use (null, boolean, int, long,
 * string, enum, and unions of null with one of those); undefined for anything else (avsc reads
 * those). avsc reads the same bytes with a call per field and two per union: this reader inlines
 * them, and its values equal avsc's (fast-reader.spec.ts).
 */
export function compileFastReader(type: Type): FastReader | undefined {
  if (type.typeName !== 'record') return undefined;
  const fields = (type as unknown as { fields: { name: string; type: Type }[] }).fields;
  const readings = fields.map((f) => readingOf(f.type));
  if (readings.some((r) => r === undefined)) return undefined;
  const symbols: (readonly string[])[] = [];
  const body = (readings as Reading[]).map((r, i) => readInto(`v${i}`, r, symbols)).join('\n');
  const object = fields.map((f, i) => `${JSON.stringify(f.name)}: v${i}`).join(', ');
  const source = `return function read(buf, pos) {
    const end = buf.length;
    let n, b, k, f, fk;
    ${fields.map((_, i) => `let v${i};`).join(' ')}
    ${body}
    if (pos !== end) return undefined;
    return { ${object} };
  };`;
  return new Function('symbols', source)(symbols) as FastReader;
}

function readingOf(type: Type): Reading | undefined {
  const name = type.typeName;
  if (
    name === 'null' ||
    name === 'boolean' ||
    name === 'int' ||
    name === 'long' ||
    name === 'string'
  )
    return { kind: name };
  if (name === 'enum')
    return { kind: 'enum', symbols: (type as unknown as { symbols: string[] }).symbols };
  if (name !== 'union:unwrapped') return undefined; // a wrapped union's values are { type: value }
  const branches = (type as unknown as { types: Type[] }).types;
  const nullIndex = branches.findIndex((t) => t.typeName === 'null');
  if (branches.length !== 2 || (nullIndex !== 0 && nullIndex !== 1)) return undefined;
  const value = readingOf(branches[1 - nullIndex] as Type);
  return value && value.kind !== 'nullable' ? { kind: 'nullable', nullIndex, value } : undefined;
}

/**
 * Avro's zig-zag varint into `n`, as avsc's Tap.readLong: 32-bit arithmetic for up to 4 bytes,
 * doubles beyond; one byte (union and enum indexes, short strings' lengths) takes one test. Past
 * the end of `buf` bytes read as 0 and `pos` passes `end` (caught at the end).
 */
const READ_LONG = `b = buf[pos++];
    if (b < 0x80) n = (b >> 1) ^ -(b & 1);
    else {
      n = b & 0x7f; k = 7;
      do { b = buf[pos++]; n |= (b & 0x7f) << k; k += 7; } while ((b & 0x80) && k < 28);
      if (b & 0x80) {
        f = n; fk = 268435456;
        do { b = buf[pos++]; f += (b & 0x7f) * fk; fk *= 128; } while (b & 0x80);
        n = (f % 2 ? -(f + 1) : f) / 2;
      } else n = (n >> 1) ^ -(n & 1);
    }`;

function readInto(target: string, reading: Reading, symbols: (readonly string[])[]): string {
  switch (reading.kind) {
    case 'null':
      return `${target} = null;`;
    case 'boolean':
      return `${target} = !!buf[pos++];`;
    case 'int':
      return `${READ_LONG} ${target} = n;`;
    case 'long': // avsc refuses what a double cannot hold exactly (its isSafeLong)
      return `${READ_LONG} if (!(n >= -9007199254740990 && n <= 9007199254740990)) return undefined; ${target} = n;`;
    case 'string':
      return `${READ_LONG} if (n < 0 || pos + n > end) return undefined; ${target} = buf.utf8Slice(pos, pos + n); pos += n;`;
    case 'enum': {
      symbols.push(reading.symbols);
      const at = `symbols[${symbols.length - 1}]`;
      return `${READ_LONG} ${target} = ${at}[n]; if (${target} === undefined) return undefined;`;
    }
    case 'nullable':
      return `${READ_LONG}
    if (n === ${reading.nullIndex}) ${target} = null;
    else if (n === ${1 - reading.nullIndex}) { ${readInto(target, reading.value, symbols)} }
    else return undefined;`;
  }
}
