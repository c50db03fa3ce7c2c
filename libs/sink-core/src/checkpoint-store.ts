import type { DedupeBucket, DedupeChanges, PartitionChanges, StateRow } from '@rta/windowing';
import { SinkError } from './errors';

/** Where a consumer resumes one partition, and the engine state that goes with it. */
export interface Checkpoint {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next message to read (Kafka's committed-offset convention). */
  readonly nextOffset: string;
  /** The partition's own document (small: its clocks); the cells travel in `stateChanges`. */
  readonly engineState: unknown;
  /** The engine's rows changed since the previous checkpoint, written with it. */
  readonly stateChanges?: PartitionChanges;
  /** The de-duplicator's ids changed since the previous checkpoint, written with it. */
  readonly dedupeIds?: DedupeChanges;
  /** From `CheckpointStore.claim`: refused once another owner has claimed the partition. */
  readonly ownerEpoch: number;
}

/** A checkpoint as read back: its engine rows, and the remembered ids that belong to its offset. */
export interface SavedCheckpoint extends Omit<
  Checkpoint,
  'stateChanges' | 'dedupeIds' | 'ownerEpoch'
> {
  readonly stateRows: readonly StateRow[];
  readonly dedupeBuckets: readonly DedupeBucket[];
}

/**
 * Engine state, offsets, owner epochs and de-duplication ids, apart from the results: what a
 * partition's next owner resumes from. Owners are fenced: `claim` raises a partition's epoch,
 * and a checkpoint of an older epoch is refused (CHECKPOINT_FENCED), so two owners' increments
 * never mix.
 */
export interface CheckpointStore {
  readonly name: string;
  /** Claims partitions for a new owner, before reading them: each one's new epoch. */
  claim(
    consumerGroup: string,
    topic: string,
    partitions: readonly number[],
  ): Promise<Map<number, number>>;
  currentEpoch(
    consumerGroup: string,
    topic: string,
    partition: number,
  ): Promise<number | undefined>;
  read(
    consumerGroup: string,
    topic: string,
    partitions?: readonly number[],
  ): Promise<SavedCheckpoint[]>;
  /** All or nothing; rejects with CHECKPOINT_FENCED when another owner claimed a partition. */
  write(checkpoints: readonly Checkpoint[]): Promise<void>;
  /** Resolves when the store answers (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** A checkpoint refused because another owner claimed the partition (see `CheckpointStore`). */
export function isFencedCheckpoint(error: unknown): boolean {
  return error instanceof SinkError && error.code === 'CHECKPOINT_FENCED';
}
