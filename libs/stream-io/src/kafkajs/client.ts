import { Kafka } from 'kafkajs';
import type { StreamClient } from '../client';
import type { KafkaSettings } from '../settings';
import { KafkajsAdmin } from './admin';
import { kafkajsConfig } from './config';
import { KafkajsProducer } from './producer';
import { KafkajsSource } from './source';

/** The stream-io client on kafkajs: the one place a kafkajs `Kafka` is made. */
export function kafkajsClient(settings: KafkaSettings): StreamClient {
  const kafka = new Kafka(kafkajsConfig(settings));
  return {
    source: (options) => new KafkajsSource(kafka, options),
    producer: () => new KafkajsProducer(kafka),
    admin: () => new KafkajsAdmin(kafka),
  };
}
