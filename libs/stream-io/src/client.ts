import type { TopicAdmin } from './admin';
import type { RecordProducer } from './record-producer';
import type { RecordSource, SourceOptions } from './source';

/**
 * One Kafka client behind this lib's own interfaces: everything outside stream-io talks to Kafka
 * through these, so another client is another adapter (see kafkajs/) and no caller changes.
 * Each call makes a new, unconnected piece; they share the client's settings.
 */
export interface StreamClient {
  /** A consumer-group member over `options.topics`, started with `start()`. */
  source(options: SourceOptions): RecordSource;
  /** A producer of records whose partitions the caller chose (see BatchProducer). */
  producer(): RecordProducer;
  admin(): TopicAdmin;
}
