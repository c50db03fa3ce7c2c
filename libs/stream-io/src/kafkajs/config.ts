import { type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import type { KafkaSettings } from '../settings';
import { writeLogLine } from './log';

const LOG_LEVELS = {
  warn: logLevel.WARN,
  error: logLevel.ERROR,
  silent: logLevel.NOTHING,
} as const;
const DEFAULT_RETRIES = 8;
const INITIAL_RETRY_MS = 300;

/** The kafkajs client configuration for the lib's client-neutral settings. */
export function kafkajsConfig(settings: KafkaSettings): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: LOG_LEVELS[settings.logLevel ?? 'warn'],
    logCreator: () => writeLogLine,
    ...(settings.tls ? { ssl: settings.tls === true ? true : { ca: [settings.tls.ca] } } : {}),
    ...(settings.sasl ? { sasl: { ...settings.sasl } as SASLOptions } : {}),
    ...(settings.connectTimeoutMs === undefined
      ? {}
      : { connectionTimeout: settings.connectTimeoutMs }),
    retry: { retries: settings.retries ?? DEFAULT_RETRIES, initialRetryTime: INITIAL_RETRY_MS },
  };
}
