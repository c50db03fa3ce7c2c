import type { StreamClient } from './client';
import { isRetriable, StreamIoError } from './errors';
import { retryingMetadataLag } from './metadata-lag';
import { Murmur2Partitioner, type Partitioner } from './partitioner';
import type { RecordProducer } from './record-producer';
import { chunksOf } from './request-chunks';

export interface KeyedMessage {
  /** Partitioning key: a string, or raw bytes kept exactly as they were (dead letters). */
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BatchProducerOptions {
  /**
   * Bytes per produce request. The broker refuses a record batch above `message.max.bytes`
   * (1 MiB by default) and a client sends one batch per partition per request, so a large send
   * is split well below that: a burst of dead letters must not become a request the broker rejects.
   */
  readonly maxRequestBytes?: number;
  /** Where each key goes (default: the Java client's murmur2, see Murmur2Partitioner). */
  readonly partitioner?: Partitioner;
}

const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;
/** How long a partition count is trusted: the metadata age of kafkajs and the Java client. */
const PARTITION_COUNT_MAX_AGE_MS = 5 * 60_000;

/**
 * An idempotent producer that writes batches to one topic and resolves once every message is
 * acknowledged by all in-sync replicas. One request at a time keeps the order per key exact even
 * when the broker asks for a retry. It picks every record's partition itself, so a key lands on
 * the same partition whichever Kafka client (or the Java client) produces it.
 */
export class BatchProducer {
  private readonly producer: RecordProducer;
  private readonly maxRequestBytes: number;
  private readonly partitioner: Partitioner;
  private partitions: { readonly count: number; readonly knownAtMs: number } | undefined;

  constructor(
    client: StreamClient,
    readonly topic: string,
    options: BatchProducerOptions = {},
  ) {
    this.producer = client.producer();
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.partitioner = options.partitioner ?? new Murmur2Partitioner();
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (cause) {
      const message = `could not connect a producer: ${(cause as Error).message}`;
      throw new StreamIoError('KAFKA_UNREACHABLE', message, true, { cause });
    }
  }

  /** Sends in order, in requests of at most `maxRequestBytes` (a larger message goes alone). */
  async send(batch: readonly KeyedMessage[]): Promise<void> {
    for (const chunk of chunksOf(batch, this.maxRequestBytes)) await this.sendRequest(chunk);
  }

  /** Waits for nothing more than the last `send`: every send is acknowledged when it resolves. */
  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  private async sendRequest(batch: readonly KeyedMessage[]): Promise<void> {
    try {
      const count = await this.partitionCount();
      const records = batch.map((m) => ({
        partition: this.partitioner.partition(m.key, count),
        key: m.key,
        value: m.value,
        headers: m.headers,
      }));
      await this.producer.send(this.topic, records);
    } catch (cause) {
      const what = `could not produce ${batch.length} messages to ${this.topic}`;
      const message = `${what}: ${(cause as Error).message}`;
      throw new StreamIoError('PRODUCE_FAILED', message, isRetriable(cause), { cause });
    }
  }

  private async partitionCount(): Promise<number> {
    const nowMs = Date.now();
    const known = this.partitions;
    if (known && nowMs - known.knownAtMs < PARTITION_COUNT_MAX_AGE_MS) return known.count;
    const asked = retryingMetadataLag(() => this.producer.partitionCount(this.topic));
    // A topic never loses partitions: when a refresh fails, the count known is still a valid one
    // (as a client keeps its old metadata), and the send goes on; the next refresh is due later.
    const count = known ? await asked.catch(() => known.count) : await asked;
    this.partitions = { count, knownAtMs: nowMs };
    return count;
  }
}
