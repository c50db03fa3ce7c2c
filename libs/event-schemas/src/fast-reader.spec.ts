import { Type } from 'avsc';
import fc from 'fast-check';
import { compileFastReader, FastReader } from './fast-reader';
import { ECOMMERCE_STREAM, GAME_STREAM } from './streams';

/** Every kind the reader compiles, each alone and nullable on either side. */
const ALL_KINDS = Type.forSchema({
  type: 'record',
  name: 'AllKinds',
  fields: [
    { name: 'flag', type: 'boolean' },
    { name: 'small', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'text', type: 'string' },
    { name: 'nothing', type: 'null' },
    { name: 'colour', type: { type: 'enum', name: 'Colour', symbols: ['red', 'green', 'blue'] } },
    { name: 'maybe_text', type: ['null', 'string'] },
    { name: 'text_or_null', type: ['string', 'null'] },
    { name: 'maybe_big', type: ['null', 'long'] },
    { name: 'maybe_colour', type: ['null', 'Colour'] },
    { name: 'maybe_flag', type: ['null', 'boolean'] },
  ],
});

const colour = fc.constantFrom('red', 'green', 'blue');
const nullable = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });
const text = fc.string({ unit: 'binary', maxLength: 40 });
/** avsc writes and reads longs in doubles: exact to ±2^52 (beyond, see the test on wide longs). */
const exactLong = fc.bigInt({ min: -(2n ** 52n), max: 2n ** 52n }).map(Number);
const allKinds = fc.record({
  flag: fc.boolean(),
  small: fc.integer(),
  big: exactLong,
  text,
  nothing: fc.constant(null),
  colour,
  maybe_text: nullable(text),
  text_or_null: nullable(text),
  maybe_big: nullable(exactLong),
  maybe_colour: nullable(colour),
  maybe_flag: nullable(fc.boolean()),
});

function compiled(type: Type): FastReader {
  const reader = compileFastReader(type);
  if (!reader) throw new Error(`${type.name} should compile`);
  return reader;
}

/** The fast reader may decline anything, but what it reads avsc reads alike, to the last byte. */
function agreesWithAvsc(type: Type, read: FastReader, bytes: Buffer): void {
  const fast = read(bytes, 0);
  if (fast === undefined) return;
  let avsc: { value: unknown; offset: number } | undefined;
  try {
    avsc = type.decode(bytes, 0);
  } catch {
    avsc = undefined;
  }
  expect(avsc?.offset).toBe(bytes.length);
  expect(fast).toEqual({ ...(avsc?.value as object) });
}

it('reads what avsc wrote, value for value and field for field in order', () => {
  const read = compiled(ALL_KINDS);
  fc.assert(
    fc.property(allKinds, (value) => {
      const decoded = read(ALL_KINDS.toBuffer(value), 0);
      expect(decoded).toEqual(value);
      expect(Object.keys(decoded as object)).toEqual(Object.keys(value));
    }),
    { numRuns: 3_000 },
  );
});

it('reads every version of both event schemas as avsc does', () => {
  for (const schema of [...GAME_STREAM.schemaVersions, ...ECOMMERCE_STREAM.schemaVersions]) {
    const type = Type.forSchema(schema as never);
    const read = compiled(type);
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = type.toBuffer(type.random());
      expect(read(bytes, 0)).toEqual({ ...(type.fromBuffer(bytes) as object) });
    }
  }
});

it('declines, or agrees with avsc on, truncated, extended and corrupted bytes', () => {
  const read = compiled(ALL_KINDS);
  const damaged = fc.tuple(allKinds, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(3));
  fc.assert(
    fc.property(damaged, ([value, at, byte, how]) => {
      const bytes = ALL_KINDS.toBuffer(value);
      const where = at % bytes.length;
      if (how === 0) agreesWithAvsc(ALL_KINDS, read, bytes.subarray(0, where));
      else if (how === 1)
        agreesWithAvsc(ALL_KINDS, read, Buffer.concat([bytes, Buffer.from([byte])]));
      else {
        const corrupted = Buffer.from(bytes);
        corrupted[where] = byte;
        agreesWithAvsc(ALL_KINDS, read, corrupted);
      }
    }),
    { numRuns: 5_000 },
  );
});

/** Avro's zig-zag varint, spelled out in BigInt: any int64, also those avsc will not write. */
function varlong(value: bigint): Buffer {
  let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const bytes: number[] = [];
  for (; zigzag >= 0x80n; zigzag >>= 7n) bytes.push(Number(zigzag & 0x7fn) | 0x80);
  return Buffer.from([...bytes, Number(zigzag)]);
}

it('reads any int64 as avsc does, rounding and all, and declines what avsc refuses', () => {
  const type = Type.forSchema({ type: 'record', name: 'W', fields: [{ name: 'n', type: 'long' }] });
  const read = compiled(type);
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
      const bytes = varlong(n);
      let avsc: object | undefined;
      try {
        avsc = { ...(type.fromBuffer(bytes) as object) };
      } catch {
        avsc = undefined;
      }
      expect(read(bytes, 0)).toEqual(avsc);
    }),
    { numRuns: 3_000 },
  );
});

it('declines a long a double cannot hold, which avsc refuses', () => {
  const type = Type.forSchema({ type: 'record', name: 'L', fields: [{ name: 'n', type: 'long' }] });
  const unsafe = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  expect(() => type.decode(unsafe, 0)).toThrow('precision');
  expect(compiled(type)(unsafe, 0)).toBeUndefined();
});

it('leaves to avsc the schemas it does not compile', () => {
  const record = (type: unknown) =>
    Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'x', type }] } as never);
  expect(compileFastReader(record('double'))).toBeUndefined();
  expect(compileFastReader(record({ type: 'array', items: 'string' }))).toBeUndefined();
  expect(compileFastReader(record(['null', 'string', 'long']))).toBeUndefined();
  expect(compileFastReader(Type.forSchema('string'))).toBeUndefined();
});
