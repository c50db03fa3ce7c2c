import type { PartitionCount, TopicSpec } from './admin';
import type { StreamClient } from './client';
import { isRetriable, StreamIoError } from './errors';
import { retryingMetadataLag } from './metadata-lag';

export interface TopicReport {
  readonly created: readonly string[];
  /** Topics that already existed, with their actual partition counts (may differ from the spec). */
  readonly existing: readonly PartitionCount[];
}

/**
 * Creates the topics that do not exist yet; never alters existing ones (their data is sacred).
 * A topic just created can be missing from the metadata for a moment: retried (metadata-lag.ts).
 */
export function ensureTopics(
  client: StreamClient,
  specs: readonly TopicSpec[],
): Promise<TopicReport> {
  return retryingMetadataLag(() => ensureTopicsOnce(client, specs));
}

async function ensureTopicsOnce(
  client: StreamClient,
  specs: readonly TopicSpec[],
): Promise<TopicReport> {
  const admin = client.admin();
  try {
    await admin.connect();
    const known = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !known.has(s.topic));
    if (missing.length > 0) await admin.createTopics(missing);
    const present = specs.filter((s) => known.has(s.topic)).map((s) => s.topic);
    const existing = present.length > 0 ? await admin.partitionCounts(present) : [];
    return { created: missing.map((s) => s.topic), existing };
  } catch (cause) {
    const names = specs.map((s) => s.topic).join(', ');
    const message = `could not create or inspect topics ${names}: ${(cause as Error).message}`;
    throw new StreamIoError('TOPIC_SETUP_FAILED', message, isRetriable(cause), { cause });
  } finally {
    await admin.disconnect();
  }
}
