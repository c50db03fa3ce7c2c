import { randomInt } from 'node:crypto';
import { murmur2 } from './murmur2';

/** Where a record goes, computed by this lib: swapping the Kafka client never moves a key. */
export interface Partitioner {
  /** The partition, in [0, partitionCount), of a record with this key (a string as UTF-8). */
  partition(key: string | Buffer | null, partitionCount: number): number;
}

const INITIAL_SCRATCH_BYTES = 256;

/**
 * The Java client's default for keyed records, which kafkajs's DefaultPartitioner implements too:
 * murmur2 of the key bytes, made positive (sign bit cleared), modulo the partition count. Records
 * without a key have no place to keep: they go round-robin from a random start (as kafkajs).
 * String keys are encoded into a reused buffer: partitioning allocates nothing per record.
 */
export class Murmur2Partitioner implements Partitioner {
  private scratch = Buffer.allocUnsafe(INITIAL_SCRATCH_BYTES);
  private roundRobin = randomInt(0x7fffffff);

  partition(key: string | Buffer | null, partitionCount: number): number {
    if (key === null) {
      this.roundRobin = (this.roundRobin + 1) & 0x7fffffff;
      return this.roundRobin % partitionCount;
    }
    const hash = typeof key === 'string' ? this.hashString(key) : murmur2(key);
    return (hash & 0x7fffffff) % partitionCount;
  }

  private hashString(key: string): number {
    const length = Buffer.byteLength(key, 'utf8');
    if (length > this.scratch.length) this.scratch = Buffer.allocUnsafe(length * 2);
    this.scratch.write(key, 0, length, 'utf8');
    return murmur2(this.scratch, length);
  }
}
