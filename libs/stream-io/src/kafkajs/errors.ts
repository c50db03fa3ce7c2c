import { KafkaClientError } from '../errors';

/** What kafkajs puts on its errors: its verdict and, from a broker's answer, the protocol error. */
interface KafkajsErrorFields {
  readonly message?: unknown;
  readonly retriable?: unknown;
  readonly type?: unknown;
}

/** A kafkajs failure as this lib's client-neutral error; one already converted passes unchanged. */
export function clientError(cause: unknown): KafkaClientError {
  if (cause instanceof KafkaClientError) return cause;
  const fields = (cause ?? {}) as KafkajsErrorFields;
  const message = typeof fields.message === 'string' ? fields.message : String(cause);
  const protocolError = typeof fields.type === 'string' ? fields.type : undefined;
  return new KafkaClientError(message, fields.retriable === true, protocolError, { cause });
}

/** Runs a kafkajs call; its failure comes out as a KafkaClientError. */
export async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw clientError(cause);
  }
}
