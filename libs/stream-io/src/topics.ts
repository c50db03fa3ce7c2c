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

/** Creates the topics that do not exist yet; never alters existing ones (their data is sacred). */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<TopicReport> {
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
