import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { StreamIoError } from './errors';

export interface KeyedMessage {
  /** Partitioning key: a string, or raw bytes kept exactly as they were (dead letters). */
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Bytes per produce request. The broker refuses a record batch above `message.max.bytes`
 * (1 MiB by default) and kafkajs sends one batch per partition per request, so a large send is
 * split well below that: a burst of dead letters must not become a request the broker rejects.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;
const PER_MESSAGE_OVERHEAD_BYTES = 64; // record framing: lengths, offsets, timestamps, attributes

/**
 * An idempotent producer that writes batches to one topic and resolves once every message is
 * acknowledged by all in-sync replicas. One request at a time keeps the order per key exact even
 * when the broker asks for a retry.
 */
export class BatchProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    readonly topic: string,
    private readonly maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES,
  ) {
    // The Java client's murmur2 partitioner: a key lands on the same partition whoever produces it.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (cause) {
      throw new StreamIoError('KAFKA_UNREACHABLE', `could not connect a producer: ${(cause as Error).message}`, true, { cause });
    }
  }

  /** Sends in order, in requests of at most `maxRequestBytes` (a single larger message goes alone). */
  async send(batch: readonly KeyedMessage[]): Promise<void> {
    for (const chunk of chunksOf(batch, this.maxRequestBytes)) await this.sendRequest(chunk);
  }

  private async sendRequest(batch: readonly KeyedMessage[]): Promise<void> {
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
    } catch (cause) {
      const retriable = (cause as { retriable?: boolean }).retriable === true; // kafkajs classifies its errors
      throw new StreamIoError('PRODUCE_FAILED', `could not produce ${batch.length} messages to ${this.topic}: ${(cause as Error).message}`, retriable, { cause });
    }
  }

  /** Waits for nothing more than the last `send`: every send is already acknowledged when it resolves. */
  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

function sizeOf(message: KeyedMessage): number {
  let bytes = PER_MESSAGE_OVERHEAD_BYTES + message.value.length + (message.key === null ? 0 : Buffer.byteLength(message.key));
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/** Consecutive runs of `batch` whose sizes add up to at most `maxBytes` (at least one message each). */
export function* chunksOf(batch: readonly KeyedMessage[], maxBytes: number): Generator<readonly KeyedMessage[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < batch.length; i += 1) {
    const size = sizeOf(batch[i] as KeyedMessage);
    if (i > start && bytes + size > maxBytes) {
      yield batch.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < batch.length) yield start === 0 ? batch : batch.slice(start);
}
