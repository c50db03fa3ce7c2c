import type { Consumer, Kafka } from 'kafkajs';
import { StreamIoError } from './errors';

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
  readonly onAssign: (partitions: readonly TopicPartition[]) => Promise<ReadonlyMap<string, string> | void>;
  /** Partitions this member lost in a rebalance: drop their state (the new owner resumes from its checkpoint). */
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

export const partitionKey = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/**
 * A consumer-group member that hands records over per partition, never commits on its own
 * (the caller commits after its results are durable), and reports assignment changes so that
 * state can follow its partition. The Kafka client stays behind this interface.
 */
export class KafkaSource {
  private readonly consumer: Consumer;
  private assigned = new Set<string>();
  private joinedGroup = false;
  /** Records below these offsets are already in the caller's state (restored or delivered): skipped. */
  private readonly resumeAt = new Map<string, bigint>();

  constructor(kafka: Kafka, private readonly options: SourceOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
    });
  }

  async start(handlers: SourceHandlers): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    } catch (cause) {
      throw new StreamIoError('KAFKA_UNREACHABLE', `could not join group ${this.options.groupId}: ${(cause as Error).message}`, true, { cause });
    }
    let membership = Promise.resolve();
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joinedGroup = false;
      handlers.onCrash?.(event.payload.error, event.payload.restart);
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joinedGroup = true;
      membership = membership.then(() => this.rebalanced(event.payload.memberAssignment, handlers));
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        await membership; // state for newly assigned partitions is restored first
        if (!isRunning() || isStale()) return;
        const records = this.fresh(batch.topic, batch.partition, batch.messages);
        if (records.length === 0) return;
        await handlers.onBatch(records, batch.highWatermark);
        // A client-side rejoin may fetch again from the committed offset: what was delivered is not delivered twice.
        this.resumeAt.set(partitionKey(batch), BigInt((records.at(-1) as SourceRecord).offset) + 1n);
        await heartbeat();
      },
    });
  }

  /** Commits `offset` (the next one to read) per partition: call once results up to it are durable. */
  async commit(offsets: readonly (TopicPartition & { readonly offset: string })[]): Promise<void> {
    await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })));
  }

  /** Stops fetching, leaves the group (its partitions move to the others). */
  async stop(): Promise<void> {
    this.joinedGroup = false;
    await this.consumer.disconnect();
  }

  /** True while this member is in the group (readiness). */
  get joined(): boolean {
    return this.joinedGroup;
  }

  get assignment(): readonly string[] {
    return [...this.assigned];
  }

  private async rebalanced(assignment: Record<string, number[]>, handlers: SourceHandlers): Promise<void> {
    const now = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => partitionKey({ topic, partition }))));
    const revoked = [...this.assigned].filter((k) => !now.has(k)).map(parseKey);
    const added = [...now].filter((k) => !this.assigned.has(k)).map(parseKey);
    this.assigned = now;
    if (revoked.length > 0) await handlers.onRevoke(revoked);
    for (const tp of revoked) this.resumeAt.delete(partitionKey(tp));
    if (added.length === 0) return;
    const resume = (await handlers.onAssign(added)) ?? new Map<string, string>();
    for (const [key, offset] of resume) {
      this.resumeAt.set(key, BigInt(offset));
      const tp = parseKey(key);
      this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset });
    }
  }

  private fresh(topic: string, partition: number, messages: readonly { offset: string; key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown>; timestamp: string }[]): SourceRecord[] {
    const from = this.resumeAt.get(partitionKey({ topic, partition })) ?? -1n;
    // Offsets ascend within a batch: only a leading run can be old, so most batches parse one offset.
    let first = 0;
    while (first < messages.length && BigInt((messages[first] as { offset: string }).offset) < from) first += 1;
    const records: SourceRecord[] = new Array(messages.length - first);
    for (let i = first; i < messages.length; i += 1) {
      const m = messages[i] as (typeof messages)[number];
      records[i - first] = { topic, partition, offset: m.offset, key: m.key, value: m.value, headers: stringHeaders(m.headers), timestampMs: Number(m.timestamp) };
    }
    return records;
  }
}

function parseKey(key: string): TopicPartition {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Headers as strings; a record without any (the common case) shares one frozen empty object. */
function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  if (!headers || Object.keys(headers).length === 0) return NO_HEADERS;
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]));
}
