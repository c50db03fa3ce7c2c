import { Kafka, LogEntry, logLevel } from 'kafkajs';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers: true for the system CAs, or a PEM CA bundle. */
  readonly tls?: true | { readonly ca: string };
  /** SASL authentication (SCRAM for production, PLAIN for tests). Holds a secret: never log it. */
  readonly sasl?: { readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain'; readonly username: string; readonly password: string };
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
    logCreator: () => writeLogLine,
    ...(settings.tls ? { ssl: settings.tls === true ? true : { ca: [settings.tls.ca] } } : {}),
    ...(settings.sasl ? { sasl: { ...settings.sasl } as never } : {}),
    retry: { retries: 8, initialRetryTime: 300 },
  });
}

/**
 * kafkajs' own JSON lines, one per entry on stderr, without the stack traces: a broker that is
 * down logs an error per retry, and a stack each made the one line that matters hard to find.
 */
function writeLogLine({ namespace, label, log }: LogEntry): void {
  const { stack: _stack, ...rest } = log as LogEntry['log'] & { stack?: unknown };
  process.stderr.write(`${JSON.stringify({ level: label, logger: 'kafkajs', ...rest, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` })}\n`);
}
