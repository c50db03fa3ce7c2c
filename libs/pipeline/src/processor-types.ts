import type { Type } from 'avsc';
import type { ValidationIssue, ValidationPolicy } from '@rta/event-schemas';
import type { DeadLetterReason, SourceRecord } from '@rta/stream-io';
import type {
  DedupeBucket,
  DedupeChanges,
  DeduplicatorSnapshot,
  LegacySnapshot,
  Metric,
  PartitionChanges,
  PartitionHeader,
  PartitionSnapshot,
  StateRow,
} from '@rta/windowing';

/** One input topic and what the aggregator computes from it. */
export interface StreamSpec<E> {
  readonly topic: string;
  /** The consumer's schema: every writer version resolves to it. */
  readonly readerType: Type;
  readonly metrics: readonly Metric<E>[];
  readonly validate: (event: E, policy: ValidationPolicy) => ValidationIssue[];
  readonly eventId: (event: E) => string;
  readonly eventTime: (event: E) => number;
  readonly eventType: (event: E) => string;
}

export interface ProcessorOptions {
  /** De-duplicate by event id within this much event time; undefined: off. */
  readonly dedupeHorizonMs?: number;
  readonly idleTimeoutMs?: number;
  readonly maxEventAgeMs?: number;
  readonly maxEventFutureMs?: number;
  /** Metrics whose saved state is set aside at restore: they start over (see `RestoreReport`). */
  readonly resetMetrics?: ReadonlySet<string>;
}

export interface DeadLetter {
  readonly record: SourceRecord;
  readonly reason: DeadLetterReason;
}

/** What one batch did, for the dead-letter topic and the counters. */
export interface BatchOutcome {
  readonly deadLetters: DeadLetter[];
  /**
   * Events too late for at least one metric (counted by the others): routed out, never dropped
   * silently.
   */
  readonly lateLetters: DeadLetter[];
  readonly accepted: number;
  readonly duplicates: number;
  /** Late (event, metric) pairs per metric. */
  readonly late: Map<string, number>;
  /** Accepted events per event type. */
  readonly byType: Map<string, number>;
}

/**
 * What a checkpoint stores for one partition as JSON: the engine's clocks (its cells are rows,
 * stored apart and incrementally; checkpoints before that held a whole snapshot) and the
 * de-duplicator's clock.
 */
export interface PartitionState {
  readonly engine: PartitionHeader | PartitionSnapshot | LegacySnapshot;
  readonly dedupe?: DeduplicatorSnapshot;
}

/** A partition's saved state as read back, with the engine's rows and the de-duplicator's ids. */
export interface SavedPartition {
  readonly state: unknown;
  readonly stateRows: readonly StateRow[];
  readonly dedupeBuckets: readonly DedupeBucket[];
}

/** One partition's part of a checkpoint: its document, and what changed since the previous one. */
export interface PartitionCheckpoint {
  readonly state: PartitionState;
  readonly stateChanges: PartitionChanges;
  /** Undefined when de-duplication is off. */
  readonly dedupeIds: DedupeChanges | undefined;
}

export interface PartitionProgress {
  readonly partition: number;
  /** The next offset to read: everything before it is in the state. */
  readonly nextOffset: string;
  /** Kafka timestamp of the oldest record since the last collection (freshness). */
  readonly oldestRecordMs: number;
}
