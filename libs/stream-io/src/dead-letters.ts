import type { StreamClient } from './client';
import { BatchProducer } from './producer';
import type { SourceRecord } from './source';

/** Why a record could not be used: a stable code to branch on and a message for people. */
export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
}

/** Headers every dead letter carries, so it can be found, explained and replayed. */
export const DEAD_LETTER_HEADERS = {
  topic: 'rta-source-topic',
  partition: 'rta-source-partition',
  offset: 'rta-source-offset',
  code: 'rta-error-code',
  reason: 'rta-error-reason',
} as const;

/**
 * Sends records nobody can use (undecodable, invalid) to a dead-letter topic: the original key
 * and value bytes untouched, the original headers, plus where the record came from and why it
 * was refused. Nothing bad is dropped silently, and nothing bad blocks the good records.
 */
export class DeadLetterQueue {
  private readonly producer: BatchProducer;

  constructor(
    client: StreamClient,
    readonly topic: string,
  ) {
    this.producer = new BatchProducer(client, topic);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Resolves once every dead letter is acknowledged: call before committing the source offsets. */
  async send(
    letters: readonly { readonly record: SourceRecord; readonly reason: DeadLetterReason }[],
  ): Promise<void> {
    await this.producer.send(
      letters.map(({ record, reason }) => ({
        key: record.key,
        value: record.value ?? Buffer.alloc(0),
        headers: {
          ...record.headers,
          [DEAD_LETTER_HEADERS.topic]: record.topic,
          [DEAD_LETTER_HEADERS.partition]: String(record.partition),
          [DEAD_LETTER_HEADERS.offset]: record.offset,
          [DEAD_LETTER_HEADERS.code]: reason.code,
          [DEAD_LETTER_HEADERS.reason]: reason.message.slice(0, 1_000),
        },
      })),
    );
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
