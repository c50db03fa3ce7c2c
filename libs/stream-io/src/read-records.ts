import { randomUUID } from 'node:crypto';
import type { StreamClient } from './client';
import type { SourceRecord } from './source';

export interface ReadOptions {
  /** Resolves once this many records arrived. */
  readonly atLeast: number;
  /** Fails when fewer arrived by then (default 60 s). */
  readonly timeoutMs?: number;
  /** Then waits this long for any record beyond `atLeast` (default 0: none expected). */
  readonly settleMs?: number;
}

const POLL_MS = 50;

/**
 * Every record of `topic` from the beginning, as one member of a group of its own that commits
 * nothing (so it leaves no trace): for tests that check what landed in a topic.
 */
export async function readRecords(
  client: StreamClient,
  topic: string,
  options: ReadOptions,
): Promise<SourceRecord[]> {
  const { atLeast, timeoutMs = 60_000, settleMs = 0 } = options;
  const source = client.source({ groupId: `read-${topic}-${randomUUID()}`, topics: [topic] });
  const records: SourceRecord[] = [];
  const started = source.start({
    onAssign: async () => undefined,
    onRevoke: async () => undefined,
    onBatch: async (batch) => void records.push(...batch),
  });
  try {
    await started;
    const deadline = Date.now() + timeoutMs;
    while (records.length < atLeast) {
      if (Date.now() > deadline) {
        throw new Error(
          `read ${records.length} of ${atLeast} records of ${topic} in ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return [...records];
  } finally {
    await source.stop();
  }
}
