import fc from 'fast-check';
import { IdIndex, uuidWords } from './id-index';

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const uuidOf = (a: number, b: number, c: number, d: number) => {
  const s = hex(a) + hex(b) + hex(c) + hex(d);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};
const word = fc.integer({ min: 0, max: 0xffffffff });
// Few distinct values per word, so collisions of slots and repeats are common.
const uuid = fc
  .tuple(
    fc.constantFrom(0, 1, 0xffffffff),
    fc.oneof(fc.constantFrom(0, 1), word),
    fc.constantFrom(7, 8),
    fc.oneof(fc.integer({ min: 0, max: 3 }), word),
  )
  .map(([a, b, c, d]) => uuidOf(a, b, c, d));
const id = fc.oneof(
  uuid,
  uuid.map((u) => u.toUpperCase()),
  fc.string({ maxLength: 5 }),
);
const op = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      id,
      tag: fc.integer({ min: 0, max: 20 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('admit' as const),
      id,
      tag: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('expire' as const),
      tag: fc.integer({ min: 0, max: 20 }),
    }),
    weight: 1,
  },
);

describe('IdIndex', () => {
  it('reads only canonical lowercase UUIDs as bits', () => {
    const out = new Uint32Array(4);
    expect(uuidWords('0123abcd-4567-89ef-0123-456789abcdef', out)).toBe(true);
    expect([...out]).toEqual([0x0123abcd, 0x456789ef, 0x01234567, 0x89abcdef]);
    expect(uuidWords('0123ABCD-4567-89ef-0123-456789abcdef', out)).toBe(false);
    expect(uuidWords('0123abcd-4567-89ef-0123_456789abcdef', out)).toBe(false);
    expect(uuidWords('0123abcd-4567-89ef-0123-456789abcde', out)).toBe(false);
  });

  it('behaves like a Map of id → tag through adds, admits, growth, bulk forgetting and compaction', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3_000, size: 'max' }), (ops) => {
        const index = new IdIndex();
        const oracle = new Map<string, number>();
        let forgetBefore = -Infinity;
        // Tags drift upwards with the position, as event time does: forgetting never empties the
        // index for good.
        ops.forEach((raw, i) => {
          const o = raw.tag === undefined ? raw : { ...raw, tag: raw.tag + Math.floor(i / 100) };
          if (o.kind === 'add') {
            const adds = !oracle.has(o.id) && o.tag >= forgetBefore;
            expect(index.add(o.id, o.tag)).toBe(adds);
            if (adds) oracle.set(o.id, o.tag);
          } else if (o.kind === 'admit') {
            const admits = !oracle.has(o.id);
            expect(index.admit(o.id, o.tag)).toBe(admits);
            if (admits && o.tag !== undefined && o.tag >= forgetBefore) oracle.set(o.id, o.tag);
          } else {
            index.expireBefore(o.tag);
            forgetBefore = Math.max(forgetBefore, o.tag);
            for (const [k, t] of oracle) if (t < forgetBefore) oracle.delete(k);
          }
          expect(index.size).toBeGreaterThanOrEqual(oracle.size);
        });
        for (const o of ops)
          if (o.kind !== 'expire') expect(index.has(o.id)).toBe(oracle.has(o.id));
      }),
      { numRuns: 40 },
    );
  });

  it('tells apart UUIDs that differ in their last bits only, along a probe chain', () => {
    const index = new IdIndex();
    index.add(uuidOf(1, 9, 9, 5), 0); // hashes to slot 1 ^ 5 = 4
    index.add(uuidOf(0, 0, 0, 5), 0); // slot 5
    expect(index.has(uuidOf(0, 0, 0, 4))).toBe(false); // starts at 4, probes 5
    expect(index.add(uuidOf(0, 0, 0, 4), 0)).toBe(true);
    expect(index.size).toBe(3);
  });

  it('holds many UUIDs, forgets them at once and gives the memory back as it fills again', () => {
    const index = new IdIndex();
    const nth = (i: number) => uuidOf(i * 2654435761, i, 0, i);
    for (let i = 0; i < 100_000; i += 1) index.add(nth(i), i < 90_000 ? 0 : 1);
    expect(index.size).toBe(100_000);
    expect(index.has(nth(5))).toBe(true);
    index.expireBefore(1);
    expect(index.has(nth(5))).toBe(false);
    expect(index.has(nth(95_000))).toBe(true);
    for (let i = 100_000; i < 200_000; i += 1) index.add(nth(i), 1); // fills up: the forgotten 90k are dropped
    expect(index.size).toBeLessThan(150_000);
    expect(index.has(nth(95_000)) && index.has(nth(150_000)) && !index.has(nth(89_999))).toBe(true);
  });
});
