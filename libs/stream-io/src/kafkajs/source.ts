import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { AssignmentTracker } from '../assignment-tracker';
import { StreamIoError } from '../errors';
import { partitionKey } from '../source';
import type {
  RecordSource,
  SourceHandlers,
  SourceOptions,
  SourceRecord,
  TopicPartition,
} from '../source';
import { classified, clientError } from './errors';

const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
const MAX_HEARTBEAT_INTERVAL_MS = 3_000;

/**
 * The record source on a kafkajs consumer: batches per partition, never auto-committed; the
 * assignment each group join brings is handed to the tracker, which calls the handlers.
 */
export class KafkajsSource implements RecordSource {
  private readonly consumer: Consumer;
  private tracker: AssignmentTracker | undefined;
  private joinedGroup = false;

  constructor(
    kafka: Kafka,
    private readonly options: SourceOptions,
  ) {
    const sessionTimeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.floor(sessionTimeout / 3)),
    });
  }

  async start(handlers: SourceHandlers): Promise<void> {
    await this.join();
    const tracker = new AssignmentTracker(handlers);
    this.tracker = tracker;
    let membership = Promise.resolve();
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joinedGroup = false;
      handlers.onCrash?.(clientError(event.payload.error), event.payload.restart);
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joinedGroup = true;
      const now = assignedKeys(event.payload.memberAssignment);
      membership = membership.then(() =>
        tracker.rebalanced(now, (tp, offset) => this.seek(tp, offset)),
      );
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        await membership; // state for newly assigned partitions is restored first
        await this.deliver(payload, tracker, handlers);
      },
    });
  }

  async commit(offsets: readonly (TopicPartition & { readonly offset: string })[]): Promise<void> {
    const topicPartitions = offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
    }));
    await classified(() => this.consumer.commitOffsets(topicPartitions));
  }

  async stop(): Promise<void> {
    this.joinedGroup = false;
    await classified(() => this.consumer.disconnect());
  }

  get joined(): boolean {
    return this.joinedGroup;
  }

  get assignment(): readonly string[] {
    return this.tracker?.assignment ?? [];
  }

  private async join(): Promise<void> {
    const { groupId, topics, fromBeginning } = this.options;
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...topics], fromBeginning: fromBeginning ?? true });
    } catch (cause) {
      const message = `could not join group ${groupId}: ${(cause as Error).message}`;
      throw new StreamIoError('KAFKA_UNREACHABLE', message, true, { cause: clientError(cause) });
    }
  }

  private seek(tp: TopicPartition, offset: string): void {
    this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset });
  }

  private async deliver(
    { batch, heartbeat, isRunning, isStale }: EachBatchPayload,
    tracker: AssignmentTracker,
    handlers: SourceHandlers,
  ): Promise<void> {
    if (!isRunning() || isStale()) return;
    const tp = { topic: batch.topic, partition: batch.partition };
    const records = freshRecords(tp, batch.messages, tracker.resumeOffset(tp));
    if (records.length === 0) return;
    await handlers.onBatch(records, batch.highWatermark);
    tracker.delivered(tp, (records.at(-1) as SourceRecord).offset);
    await heartbeat();
  }
}

function assignedKeys(assignment: Record<string, number[]>): Set<string> {
  const keys = new Set<string>();
  for (const [topic, partitions] of Object.entries(assignment)) {
    for (const partition of partitions) keys.add(partitionKey({ topic, partition }));
  }
  return keys;
}

/** The batch's records from offset `from` on, each converted once (the hot path: one object). */
function freshRecords(
  tp: TopicPartition,
  messages: readonly KafkaMessage[],
  from: bigint,
): SourceRecord[] {
  const { topic, partition } = tp;
  const first = firstAtOrAfter(messages, from);
  const records: SourceRecord[] = new Array(messages.length - first);
  for (let i = first; i < messages.length; i += 1) {
    const m = messages[i] as KafkaMessage;
    records[i - first] = {
      topic,
      partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: stringHeaders(m.headers),
      timestampMs: Number(m.timestamp),
    };
  }
  return records;
}

/** Offsets ascend within a batch: only a leading run can be old; most batches parse one offset. */
function firstAtOrAfter(messages: readonly KafkaMessage[], from: bigint): number {
  let first = 0;
  while (first < messages.length && BigInt((messages[first] as KafkaMessage).offset) < from) {
    first += 1;
  }
  return first;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Headers as strings; a record without any (the common case) shares one frozen empty object. */
function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  if (!headers || Object.keys(headers).length === 0) return NO_HEADERS;
  const entries = Object.entries(headers);
  return Object.fromEntries(
    entries.map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]),
  );
}
