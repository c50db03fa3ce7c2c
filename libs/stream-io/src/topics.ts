import type { Kafka } from 'kafkajs';
import { StreamIoError } from './errors';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface TopicReport {
  readonly created: readonly string[];
  /** Topics that already existed, with their actual partition counts (which may differ from the spec). */
  readonly existing: readonly { readonly topic: string; readonly partitions: number }[];
}

const ATTEMPTS = 5;

/**
 * Creates the topics that do not exist yet; never alters existing ones (their data is sacred).
 * A topic just created can be missing from the metadata for a moment ("This server does not host
 * this topic-partition", which failed a CI run): that, and only that, is retried; an unreachable
 * broker still fails after the client's own retries.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<TopicReport> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ensureTopicsOnce(kafka, specs);
    } catch (error) {
      if (!isMetadataLag(error) || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

async function ensureTopicsOnce(kafka: Kafka, specs: readonly TopicSpec[]): Promise<TopicReport> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const known = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !known.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: s.replicationFactor })),
      });
    }
    const present = specs.filter((s) => known.has(s.topic)).map((s) => s.topic);
    const metadata = present.length > 0 ? await admin.fetchTopicMetadata({ topics: present }) : { topics: [] };
    const existing = metadata.topics.map((t) => ({ topic: t.name, partitions: t.partitions.length }));
    return { created: missing.map((s) => s.topic), existing };
  } catch (cause) {
    const names = specs.map((s) => s.topic).join(', ');
    const retriable = (cause as { retriable?: boolean }).retriable === true;
    throw new StreamIoError('TOPIC_SETUP_FAILED', `could not create or inspect topics ${names}: ${(cause as Error).message}`, retriable, { cause });
  } finally {
    await admin.disconnect();
  }
}

/** Kafka's protocol error code (kafkajs `type`), not its message. */
function isMetadataLag(error: unknown): boolean {
  return error instanceof StreamIoError && (error.cause as { type?: string } | undefined)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}
