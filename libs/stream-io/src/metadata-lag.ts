import { KafkaClientError } from './errors';

const ATTEMPTS = 5;

/**
 * Runs `work` again while it fails only because a topic is missing from the metadata: a topic
 * just created can be for a moment ("This server does not host this topic-partition", which
 * failed a CI run). That, and only that, is retried; an unreachable broker still fails after
 * the client's own retries, and a topic that really is missing fails after about 3 s.
 */
export async function retryingMetadataLag<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isMetadataLag(error) || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

/** Kafka's protocol error name, as the client adapter reported it, not its message. */
function isMetadataLag(error: unknown): boolean {
  const cause = error instanceof KafkaClientError ? error : (error as Error | undefined)?.cause;
  return cause instanceof KafkaClientError && cause.protocolError === 'UNKNOWN_TOPIC_OR_PARTITION';
}
