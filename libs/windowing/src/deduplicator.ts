import { MinHeap } from './min-heap';

interface PartitionIds {
  readonly seen: Map<string, number>;
  readonly expiry: MinHeap<string>;
  maxEventTimeMs: number;
}

/** Plain JSON: the ids a partition still remembers, with their event times. */
export interface DeduplicatorSnapshot {
  readonly partition: number;
  /** The partition's largest event time: eviction continues exactly where it was. */
  readonly maxEventTimeMs: number | null;
  readonly ids: readonly (readonly [id: string, eventTimeMs: number])[];
}

/**
 * Drops repeats of an event id (producer retries, the simulators' duplicates) within a bounded
 * horizon of event time, per input partition (duplicates share a key, hence a partition). Memory
 * is bounded by the ids seen within the horizon; a repeat further apart than the horizon is not
 * recognised. Deterministic per partition and snapshotable, like the engine's state.
 */
export class Deduplicator {
  private readonly partitions = new Map<number, PartitionIds>();

  constructor(readonly horizonMs: number) {
    if (!(horizonMs > 0)) throw new RangeError(`dedupe horizon must be positive, got ${horizonMs}`);
  }

  /** True the first time `id` is seen within the horizon (keep the event), false for a repeat. */
  admit(partition: number, id: string, eventTimeMs: number): boolean {
    const ids = this.idsOf(partition);
    if (eventTimeMs > ids.maxEventTimeMs) {
      ids.maxEventTimeMs = eventTimeMs;
      this.evict(ids);
    }
    if (ids.seen.has(id)) return false;
    if (eventTimeMs > ids.maxEventTimeMs - this.horizonMs) {
      ids.seen.set(id, eventTimeMs);
      ids.expiry.push(eventTimeMs, id);
    }
    return true;
  }

  snapshot(partition: number): DeduplicatorSnapshot {
    const ids = this.partitions.get(partition);
    const max = ids?.maxEventTimeMs ?? -Infinity;
    return { partition, maxEventTimeMs: Number.isFinite(max) ? max : null, ids: [...(ids?.seen ?? [])] };
  }

  restore(snapshot: DeduplicatorSnapshot): void {
    this.partitions.delete(snapshot.partition);
    const ids = this.idsOf(snapshot.partition);
    ids.maxEventTimeMs = snapshot.maxEventTimeMs ?? -Infinity;
    for (const [id, t] of snapshot.ids) {
      ids.seen.set(id, t);
      ids.expiry.push(t, id);
    }
  }

  release(partition: number): void {
    this.partitions.delete(partition);
  }

  /** Ids remembered for a partition (for metrics and tests). */
  size(partition: number): number {
    return this.partitions.get(partition)?.seen.size ?? 0;
  }

  private idsOf(partition: number): PartitionIds {
    let ids = this.partitions.get(partition);
    if (!ids) {
      ids = { seen: new Map(), expiry: new MinHeap(), maxEventTimeMs: -Infinity };
      this.partitions.set(partition, ids);
    }
    return ids;
  }

  private evict(ids: PartitionIds): void {
    const oldest = ids.maxEventTimeMs - this.horizonMs;
    while (ids.expiry.size > 0 && ids.expiry.peekPriority() <= oldest) {
      const id = ids.expiry.pop() as string;
      const t = ids.seen.get(id);
      if (t !== undefined && t <= oldest) ids.seen.delete(id);
    }
  }
}
