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
