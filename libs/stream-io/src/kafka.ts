import { Kafka, logLevel } from 'kafkajs';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

/**
 * The one place a kafkajs client is made. Callers use this lib's own producer and admin
 * functions, so the Kafka client can change (see tools/bench) without touching apps.
 */
export function createKafka(settings: KafkaSettings): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 300 },
  });
}
