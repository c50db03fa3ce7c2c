import type { SourceHandlers, TopicPartition } from './source';
import { parsePartitionKey, partitionKey } from './source';

/**
 * What a consumer-group member tracks whichever client it runs on: the partitions it owns, the
 * assign and revoke calls a new assignment makes, and per partition the offset below which the
 * caller already holds every record (restored from a checkpoint, or delivered). An adapter feeds
 * it the group's assignments and asks it where each fetched batch becomes new.
 */
export class AssignmentTracker {
  private assigned = new Set<string>();
  /** Records below these offsets are already in the caller's state: skipped. */
  private readonly resumeAt = new Map<string, bigint>();

  constructor(private readonly handlers: SourceHandlers) {}

  get assignment(): readonly string[] {
    return [...this.assigned];
  }

  /**
   * The member's whole new assignment (`topic:partition` keys): revokes what it lost, assigns
   * what it gained, and `seek`s each gained partition the caller wants resumed elsewhere.
   */
  async rebalanced(
    now: ReadonlySet<string>,
    seek: (tp: TopicPartition, offset: string) => void,
  ): Promise<void> {
    const revoked = [...this.assigned].filter((k) => !now.has(k)).map(parsePartitionKey);
    const added = [...now].filter((k) => !this.assigned.has(k)).map(parsePartitionKey);
    this.assigned = new Set(now);
    if (revoked.length > 0) await this.handlers.onRevoke(revoked);
    for (const tp of revoked) this.resumeAt.delete(partitionKey(tp));
    if (added.length === 0) return;
    const resume = (await this.handlers.onAssign(added)) ?? new Map<string, string>();
    for (const [key, offset] of resume) {
      this.resumeAt.set(key, BigInt(offset));
      seek(parsePartitionKey(key), offset);
    }
  }

  /** The first offset of `tp` not yet in the caller's state (-1 when nothing is known). */
  resumeOffset(tp: TopicPartition): bigint {
    return this.resumeAt.get(partitionKey(tp)) ?? -1n;
  }

  /**
   * Records of `tp` up to `lastOffset` reached the caller: a client-side rejoin may fetch again
   * from the committed offset, and what was delivered is not delivered twice.
   */
  delivered(tp: TopicPartition, lastOffset: string): void {
    this.resumeAt.set(partitionKey(tp), BigInt(lastOffset) + 1n);
  }
}
