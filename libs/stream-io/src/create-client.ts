import type { StreamClient } from './client';
import { kafkajsClient } from './kafkajs';
import type { KafkaSettings } from './settings';

/**
 * The project's Kafka client. Apps, the pipeline, tools and tests all get theirs here, so moving
 * to another client (an adapter beside kafkajs/) is this one line.
 */
export function createStreamClient(settings: KafkaSettings): StreamClient {
  return kafkajsClient(settings);
}
