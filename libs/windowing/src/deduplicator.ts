import { IdIndex, uuidWords } from './id-index';
import { forEachPackedUuid, PackedUuids } from './packed-uuids';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and this one is used per event.
 */
const readUuid = uuidWords;

/** Ids first seen within one bucket of event time. */
export interface DedupeBucket {
  readonly bucketStartMs: number;
  /**
   * Ids that are not canonical lowercase UUIDs (rows written before `uuids` existed hold every id
   * here).
   */
  readonly ids: readonly string[];
  /** Canonical UUIDs, 16 bytes each (`PackedUuids`); absent when there are none. */
  readonly uuids?: Uint8Array;
}

/** A bucket's ids while they wait for the next checkpoint: UUIDs packed, others as strings. */
interface AddedIds {
  readonly uuids: PackedUuids;
  readonly others: string[];
}

/**
 * What changed in a partition's memory since the previous `takeChanges`: a checkpoint's increment.
 */
export interface DedupeChanges {
  readonly added: readonly DedupeBucket[];
  /** Buckets starting before this are past the horizon and forgotten. */
  readonly expiredBeforeMs: number;
}

/** Plain JSON: a partition's clock. The ids travel separately, as buckets (see `takeChanges`). */
export interface DeduplicatorSnapshot {
  readonly partition: number;
  /** The partition's largest event time: eviction continues exactly where it was. */
  readonly maxEventTimeMs: number | null;
  /** Checkpoints written before ids were stored incrementally held them here; still restored. */
  readonly ids?: readonly (readonly [id: string, eventTimeMs: number])[];
}

interface PartitionIds {
  /** Every remembered id, tagged with the start of its bucket. */
  readonly seen: IdIndex;
  /** Ids stored since the last `takeChanges`, by bucket. */
  added: Map<number, AddedIds>;
  maxEventTimeMs: number;
  /** Buckets before this one have been evicted. */
  liveFromMs: number;
}

/** The horizon is kept in this many buckets: memory is released a bucket at a time. */
const BUCKETS_PER_HORIZON = 16;

/**
 * Drops repeats of an event id (producer retries, the simulators' duplicates) within a bounded
 * horizon of event time, per input partition (duplicates share a key, hence a partition). An id
 * is remembered if its event time was within the horizon of the partition's largest event time
 * when first seen, and forgotten once its whole bucket (1/16 of the horizon) has left it; a repeat
 * further apart is not recognised. Deterministic per partition, so replays decide alike; the ids
 * are checkpointed incrementally (`takeChanges`), never all at once.
 */
export class Deduplicator {
  private readonly partitions = new Map<number, PartitionIds>();
  readonly bucketMs: number;
  /** The words of the id being admitted, when it is a UUID. */
  private readonly words = new Uint32Array(4);

  constructor(readonly horizonMs: number) {
    if (!(horizonMs > 0)) throw new RangeError(`dedupe horizon must be positive, got ${horizonMs}`);
    this.bucketMs = Math.max(1, Math.ceil(horizonMs / BUCKETS_PER_HORIZON));
  }

  /** True the first time `id` is seen within the horizon (keep the event), false for a repeat. */
  admit(partition: number, id: string, eventTimeMs: number): boolean {
    const ids = this.idsOf(partition);
    if (eventTimeMs > ids.maxEventTimeMs) {
      ids.maxEventTimeMs = eventTimeMs;
      this.evict(ids);
    }
    // Older than the horizon: admitted if not remembered, but not remembered (its bucket has gone).
    const bucket =
      eventTimeMs > ids.maxEventTimeMs - this.horizonMs ? this.bucketOf(eventTimeMs) : undefined;
    const isUuid = readUuid(id, this.words);
    if (!(isUuid ? ids.seen.admitUuid(this.words, bucket) : ids.seen.admitOther(id, bucket)))
      return false;
    if (bucket !== undefined) this.note(ids, bucket, isUuid ? this.words : id);
    return true;
  }

  snapshot(partition: number): DeduplicatorSnapshot {
    const max = this.partitions.get(partition)?.maxEventTimeMs ?? -Infinity;
    return { partition, maxEventTimeMs: Number.isFinite(max) ? max : null };
  }

  /** The ids stored since the previous call and the buckets forgotten: what a checkpoint adds. */
  takeChanges(partition: number): DedupeChanges {
    const ids = this.partitions.get(partition);
    if (!ids) return { added: [], expiredBeforeMs: -Infinity };
    const added = [...ids.added].map(([bucketStartMs, { uuids, others }]) => ({
      bucketStartMs,
      ids: others,
      ...(uuids.count > 0 ? { uuids: uuids.bytes() } : {}),
    }));
    ids.added = new Map();
    return { added, expiredBeforeMs: this.firstLiveBucket(ids) };
  }

  /**
   * Restores a partition from its snapshot and the buckets written so far (repeats are harmless).
   */
  restore(snapshot: DeduplicatorSnapshot, buckets: readonly DedupeBucket[] = []): void {
    this.partitions.delete(snapshot.partition);
    const ids = this.idsOf(snapshot.partition);
    ids.maxEventTimeMs = snapshot.maxEventTimeMs ?? -Infinity;
    for (const bucket of buckets) {
      for (const id of bucket.ids) this.remember(ids, id, bucket.bucketStartMs, false);
      if (bucket.uuids)
        forEachPackedUuid(bucket.uuids, (words) => ids.seen.addUuid(words, bucket.bucketStartMs));
    }
    for (const [id, t] of snapshot.ids ?? []) this.remember(ids, id, this.bucketOf(t), true);
    this.evict(ids);
  }

  release(partition: number): void {
    this.partitions.delete(partition);
  }

  /** Ids held in memory for a partition, or for all (forgotten ones until the index compacts). */
  size(partition?: number): number {
    if (partition !== undefined) return this.partitions.get(partition)?.seen.size ?? 0;
    let total = 0;
    for (const ids of this.partitions.values()) total += ids.seen.size;
    return total;
  }

  private bucketOf(eventTimeMs: number): number {
    return Math.floor(eventTimeMs / this.bucketMs) * this.bucketMs;
  }

  private remember(ids: PartitionIds, id: string, bucketStartMs: number, isNew: boolean): void {
    const isUuid = uuidWords(id, this.words);
    if (
      !(isUuid ? ids.seen.addUuid(this.words, bucketStartMs) : ids.seen.add(id, bucketStartMs)) ||
      !isNew
    )
      return;
    this.note(ids, bucketStartMs, isUuid ? this.words : id);
  }

  /** Keeps a newly stored id for the next `takeChanges`. */
  private note(ids: PartitionIds, bucketStartMs: number, id: string | Uint32Array): void {
    let added = ids.added.get(bucketStartMs);
    if (!added) {
      added = { uuids: new PackedUuids(), others: [] };
      ids.added.set(bucketStartMs, added);
    }
    if (typeof id === 'string') added.others.push(id);
    else added.uuids.push(id);
  }

  /** The earliest bucket that still holds an id within the horizon. */
  private firstLiveBucket(ids: PartitionIds): number {
    return Number.isFinite(ids.maxEventTimeMs)
      ? this.bucketOf(ids.maxEventTimeMs - this.horizonMs)
      : -Infinity;
  }

  private evict(ids: PartitionIds): void {
    const live = this.firstLiveBucket(ids);
    if (live <= ids.liveFromMs) return;
    ids.liveFromMs = live;
    ids.seen.expireBefore(live);
    for (const start of ids.added.keys()) if (start < live) ids.added.delete(start);
  }

  private idsOf(partition: number): PartitionIds {
    let ids = this.partitions.get(partition);
    if (!ids) {
      ids = {
        seen: new IdIndex(),
        added: new Map(),
        maxEventTimeMs: -Infinity,
        liveFromMs: -Infinity,
      };
      this.partitions.set(partition, ids);
    }
    return ids;
  }
}
