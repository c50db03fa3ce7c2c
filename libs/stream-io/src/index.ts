export { StreamIoError } from './errors';
export { createKafka } from './kafka';
export type { KafkaSettings } from './kafka';
export { BatchProducer } from './producer';
export type { KeyedMessage } from './producer';
export { ensureTopics } from './topics';
export type { TopicReport, TopicSpec } from './topics';
export { KafkaSource, partitionKey } from './source';
export type { SourceHandlers, SourceOptions, SourceRecord, TopicPartition } from './source';
