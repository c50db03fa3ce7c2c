import fc from 'fast-check';

/**
 * patches/kafkajs+2.2.4.patch computes record offsets and timestamps in doubles while exact: the
 * same strings upstream's BigInt arithmetic gives, over the whole int64 range.
 */

type Long = { toString(): string };
const Decoder = require('kafkajs/src/protocol/decoder') as {
  new (buffer: Buffer): { readVarLong(): Long; readVarIntBytes(): Buffer; offset: number };
  prototype: object;
};
const Encoder = require('kafkajs/src/protocol/encoder') as {
  new (): { writeVarLong(value: Long): unknown; buffer: Buffer };
};
const LongOf = require('kafkajs/src/utils/long') as { fromValue(value: bigint | string): Long };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta: number;
  timestampDelta: Long;
  key: Buffer;
  value: Buffer;
  headers: Record<string, never>;
}) => { buffer: Buffer };
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: InstanceType<typeof Decoder>,
  context: { firstOffset: string; firstTimestamp: string },
) => { offset: string; timestamp: string };

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
/** Small values (the fast path) as often as the rest of the range (the BigInt fallback). */
const int64 = fc.oneof(fc.bigInt({ min: -(2n ** 48n), max: 2n ** 48n }), fc.bigInt(INT64));

it('is applied (npm install runs patch-package)', () => {
  expect(Decoder.prototype).toHaveProperty('readVarLongWide');
});

it('reads every varlong as upstream, consuming exactly its bytes', () => {
  fc.assert(
    fc.property(int64, (value) => {
      const encoder = new Encoder();
      encoder.writeVarLong(LongOf.fromValue(value));
      const decoder = new Decoder(encoder.buffer);
      expect(decoder.readVarLong().toString()).toBe(value.toString());
      expect(decoder.offset).toBe(encoder.buffer.length);
    }),
    { numRuns: 2_000 },
  );
});

it("gives each record its batch's first offset and timestamp plus its deltas, exactly", () => {
  const record = fc.record({
    firstOffset: fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 40n }),
      fc.bigInt({ min: 0n, max: INT64.max - 2n ** 31n }),
    ),
    offsetDelta: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    firstTimestamp: fc.oneof(
      fc.bigInt({ min: -1n, max: 2n ** 45n }),
      fc.bigInt({ min: INT64.min / 2n, max: INT64.max / 2n }),
    ),
    timestampDelta: fc.oneof(
      fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
      fc.bigInt({ min: INT64.min / 2n, max: INT64.max / 2n }),
    ),
  });
  fc.assert(
    fc.property(record, (r) => {
      const { buffer } = encodeRecord({
        offsetDelta: r.offsetDelta,
        timestampDelta: LongOf.fromValue(r.timestampDelta),
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: {},
      });
      const bytes = new Decoder(buffer).readVarIntBytes();
      const decoded = decodeRecord(new Decoder(bytes), {
        firstOffset: r.firstOffset.toString(),
        firstTimestamp: r.firstTimestamp.toString(),
      });
      expect(decoded.offset).toBe((r.firstOffset + BigInt(r.offsetDelta)).toString());
      expect(decoded.timestamp).toBe((r.firstTimestamp + r.timestampDelta).toString());
    }),
    { numRuns: 2_000 },
  );
});
