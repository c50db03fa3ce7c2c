import type { CheckpointStore, SavedCheckpoint } from '@rta/sink-core';
import type { SourceRecord } from '@rta/stream-io';
import { PipelineError } from './errors';

/**
 * The partitions this member owns: the owner epoch it claimed for each (its checkpoints are
 * refused once another member claims one) and the offset each one's state has reached.
 */
export class PartitionOwnership {
  /** `topic:partition` this member owns: a stale batch of any other must not create state (or a checkpoint). */
  private readonly owned = new Set<string>();
  private readonly epochs = new Map<string, number>();
  /** The offset the state has reached: the next batch must start there. */
  private readonly nextOffsets = new Map<string, bigint>();

  constructor(
    private readonly store: CheckpointStore,
    private readonly groupId: string,
  ) {}

  /** Claims the partitions, then reads their checkpoints (in that order: see CheckpointStore). */
  async take(topic: string, partitions: readonly number[]): Promise<SavedCheckpoint[]> {
    const epochs = await this.store.claim(this.groupId, topic, partitions);
    const saved = await this.store.read(this.groupId, topic, partitions);
    for (const c of saved) this.nextOffsets.set(keyOf(topic, c.partition), BigInt(c.nextOffset));
    for (const [partition, epoch] of epochs) this.epochs.set(keyOf(topic, partition), epoch);
    for (const partition of partitions) this.owned.add(keyOf(topic, partition));
    return saved;
  }

  owns(topic: string, partition: number): boolean {
    return this.owned.has(keyOf(topic, partition));
  }

  /** The epoch claimed for an owned partition. */
  epochOf(topic: string, partition: number): number {
    return this.epochs.get(keyOf(topic, partition)) as number;
  }

  release(topic: string, partition: number): void {
    const key = keyOf(topic, partition);
    this.owned.delete(key);
    this.epochs.delete(key);
    this.nextOffsets.delete(key);
  }

  /**
   * A batch that does not start where the state ended skipped records: the consumer was sent to
   * another offset (after a pause past the session timeout, kafkajs rejoins at the group's
   * committed offset, which the partition's new owner has moved). Such state must not produce a
   * single result. A gap is also left by transaction markers, so the owner epoch decides.
   */
  async checkContinuity(first: SourceRecord, lastOffset: string): Promise<void> {
    const key = keyOf(first.topic, first.partition);
    const expected = this.nextOffsets.get(key);
    this.nextOffsets.set(key, BigInt(lastOffset) + 1n);
    if (expected === undefined || BigInt(first.offset) <= expected) return;
    const epoch = await this.store.currentEpoch(this.groupId, first.topic, first.partition);
    const ours = this.epochs.get(key);
    if (epoch === ours) return;
    throw new PipelineError(
      'PARTITION_LOST',
      `${key} moved to another member (owner epoch ${String(epoch)}, ours ${String(ours)}) while ` +
        `this one was not looking: its records jump from offset ${expected} to ${first.offset}; ` +
        'stopping so that no result comes from that state (restart to rejoin)',
      false,
    );
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
