import fc from 'fast-check';
import type { KeyedMessage } from './producer';
import { chunksOf } from './request-chunks';

const message = fc.record({
  key: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
  value: fc.uint8Array({ maxLength: 3_000 }).map((a) => Buffer.from(a)),
});

it('splits a batch into consecutive requests under the byte budget, in order, whole', () => {
  fc.assert(
    fc.property(
      fc.array(message, { maxLength: 200, size: 'max' }),
      fc.integer({ min: 1, max: 20_000 }),
      (batch: KeyedMessage[], maxBytes) => {
        const chunks = [...chunksOf(batch, maxBytes)];
        expect(chunks.flat()).toEqual(batch);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          const bytes = chunk.reduce(
            (n, m) => n + 64 + m.value.length + (m.key === null ? 0 : Buffer.byteLength(m.key)),
            0,
          );
          if (chunk.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
        }
      },
    ),
  );
});

it('keeps a small batch as one request', () => {
  const batch = [
    { key: 'a', value: Buffer.from('x') },
    { key: null, value: Buffer.from('y') },
  ];
  expect([...chunksOf(batch, 1_000)]).toEqual([batch]);
});
