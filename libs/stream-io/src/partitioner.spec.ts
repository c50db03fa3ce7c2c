import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { murmur2 } from './murmur2';
import { Murmur2Partitioner } from './partitioner';

/** kafkajs's own default partitioner, as the producer used it before it chose partitions itself. */
function kafkajsPartition(key: string | Buffer, partitions: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from(
    { length: partitions },
    (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }),
  );
  return Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata,
    message: { key, value: null },
  });
}

const keys = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }), // multi-byte UTF-8 included
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates too: encoded as U+FFFD by both
  // raw bytes, longer than the partitioner's scratch buffer too
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
);

describe('Murmur2Partitioner', () => {
  it("matches the Java client's Utils.murmur2 on Kafka's own test vectors", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['abc', 479470107],
      ['', 275646681],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ];
    for (const [text, hash] of vectors)
      expect([text, murmur2(Buffer.from(text))]).toEqual([text, hash]);
  });

  it("puts every key where kafkajs's default partitioner does, for any partition count", () => {
    const partitioner = new Murmur2Partitioner();
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 1_000 }), (key, partitions) => {
        expect(partitioner.partition(key, partitions)).toBe(kafkajsPartition(key, partitions));
      }),
      { numRuns: 2_000 },
    );
  });

  it('places a string key as its UTF-8 bytes, also once a longer key grew the scratch', () => {
    const partitioner = new Murmur2Partitioner();
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 400 }), { maxLength: 20 }),
        (batch) => {
          for (const key of batch)
            expect(partitioner.partition(key, 97)).toBe(
              partitioner.partition(Buffer.from(key), 97),
            );
        },
      ),
    );
  });

  it('spreads records without a key round-robin over every partition', () => {
    const partitioner = new Murmur2Partitioner();
    const partitions = Array.from({ length: 600 }, () => partitioner.partition(null, 6));
    const counts = [0, 1, 2, 3, 4, 5].map((p) => partitions.filter((q) => q === p).length);
    expect(counts).toEqual([100, 100, 100, 100, 100, 100]);
  });
});
