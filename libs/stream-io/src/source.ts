export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface SourceRecord extends TopicPartition {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestampMs: number;
}

export interface SourceHandlers {
  /**
   * Partitions this member just received. Return where to resume each one (`topic:partition` →
   * next offset, e.g. from a checkpoint); partitions not in the map resume at the group's
   * committed offset. Called before any record of those partitions is delivered.
   */
  readonly onAssign: (
    partitions: readonly TopicPartition[],
  ) => Promise<ReadonlyMap<string, string> | void>;
  /**
   * Partitions this member lost in a rebalance: drop their state (the new owner resumes from its
   * checkpoint).
   */
  readonly onRevoke: (partitions: readonly TopicPartition[]) => Promise<void>;
  /** Records of one partition, in offset order; `highWatermark` gives the lag. */
  readonly onBatch: (records: readonly SourceRecord[], highWatermark: string) => Promise<void>;
  /** The client failed (e.g. lost the group); `restarting` says whether it rejoins by itself. */
  readonly onCrash?: (error: Error, restarting: boolean) => void;
}

export interface SourceOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts (default: the beginning). */
  readonly fromBeginning?: boolean;
  /** How long the group waits for a silent member before moving its partitions (default 30 s). */
  readonly sessionTimeoutMs?: number;
}

/**
 * A consumer-group member that hands records over per partition, never commits on its own
 * (the caller commits after its results are durable), and reports assignment changes so that
 * state can follow its partition. Records below a resume offset (restored or already delivered)
 * are never delivered, also when the client fetches them again after a rejoin.
 */
export interface RecordSource {
  /** Joins the group and starts delivering; rejects with KAFKA_UNREACHABLE when it cannot join. */
  start(handlers: SourceHandlers): Promise<void>;
  /** Commits `offset` (the next to read) per partition: call once results up to it are durable. */
  commit(offsets: readonly (TopicPartition & { readonly offset: string })[]): Promise<void>;
  /** Stops fetching, leaves the group (its partitions move to the others). */
  stop(): Promise<void>;
  /** True while this member is in the group (readiness). */
  readonly joined: boolean;
  /** The partitions this member owns, as `topic:partition`. */
  readonly assignment: readonly string[];
}

export const partitionKey = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

export function parsePartitionKey(key: string): TopicPartition {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}
