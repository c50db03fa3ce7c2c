export { KafkaClientError, StreamIoError } from './errors';
export type { KafkaSettings } from './settings';
export type { StreamClient } from './client';
export { createStreamClient } from './create-client';
export type {
  ClusterInfo,
  CommittedOffset,
  PartitionCount,
  PartitionOffsets,
  TopicAdmin,
  TopicSpec,
} from './admin';
export type { PartitionedRecord, RecordProducer } from './record-producer';
export { partitionKey } from './source';
export type {
  RecordSource,
  SourceHandlers,
  SourceOptions,
  SourceRecord,
  TopicPartition,
} from './source';
export { Murmur2Partitioner } from './partitioner';
export type { Partitioner } from './partitioner';
export { BatchProducer } from './producer';
export type { BatchProducerOptions, KeyedMessage } from './producer';
export { ensureTopics } from './topics';
export type { TopicReport } from './topics';
export { DEAD_LETTER_HEADERS, DeadLetterQueue } from './dead-letters';
export type { DeadLetterReason } from './dead-letters';
