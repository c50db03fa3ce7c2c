/** Base of every error this lib throws. Branch on `code`, never on the message. */
export class StreamIoError extends Error {
  constructor(
    readonly code: 'TOPIC_SETUP_FAILED' | 'PRODUCE_FAILED' | 'KAFKA_UNREACHABLE',
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StreamIoError';
  }
}

/**
 * A Kafka client's failure as every adapter reports it, so that callers can classify it without
 * knowing which client failed. `retriable` is the client's own verdict; `protocolError` is the
 * Kafka protocol's error name (e.g. UNKNOWN_TOPIC_OR_PARTITION) when the broker answered with one.
 * The client's original error stays available as `cause`, for logs only.
 */
export class KafkaClientError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly protocolError: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaClientError';
  }
}

/** Worth retrying: only a client's failure says so, and only when the client judged so. */
export function isRetriable(error: unknown): boolean {
  return error instanceof KafkaClientError && error.retriable;
}
