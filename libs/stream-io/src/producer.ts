import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { StreamIoError } from './errors';

export interface KeyedMessage {
  /** Partitioning key: a string, or raw bytes kept exactly as they were (dead letters). */
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

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

  async send(batch: readonly KeyedMessage[]): Promise<void> {
    if (batch.length === 0) return;
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
