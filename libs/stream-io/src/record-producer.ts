/** A record with the partition already chosen: the client never picks one itself. */
export interface PartitionedRecord {
  readonly partition: number;
  /** Kept as sent: a string is written as its UTF-8 bytes. */
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A Kafka client's producer as this lib needs it: idempotent, acknowledged by all in-sync
 * replicas, one request in flight (the order per partition stays exact across retries), no topic
 * auto-creation. Failures are KafkaClientErrors.
 */
export interface RecordProducer {
  connect(): Promise<void>;
  /** Sends the records as one request; resolves once every one is acknowledged. */
  send(topic: string, records: readonly PartitionedRecord[]): Promise<void>;
  /** The topic's partition count, asked of the cluster (the caller keeps it for a while). */
  partitionCount(topic: string): Promise<number>;
  /** Waits for nothing more than the last `send`: every send is acknowledged when it resolves. */
  disconnect(): Promise<void>;
}
