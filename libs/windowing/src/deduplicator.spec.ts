import fc from 'fast-check';
import { type DedupeBucket, Deduplicator } from './deduplicator';

/** What the checkpoint table does: rows added per checkpoint, rows of forgotten buckets deleted. */
class RowStore {
  rows: DedupeBucket[] = [];

  checkpoint(d: Deduplicator, partition: number): void {
    const { added, expiredBeforeMs } = d.takeChanges(partition);
    this.rows = [...this.rows.filter((r) => r.bucketStartMs >= expiredBeforeMs), ...added];
  }

  /** The rows as read back: ids as JSON, packed UUIDs as bytes (bytea). */
  copy(): DedupeBucket[] {
    return this.rows.map((r) => ({
      ...JSON.parse(JSON.stringify({ ...r, uuids: undefined })),
      ...(r.uuids ? { uuids: new Uint8Array(r.uuids) } : {}),
    }));
  }
}

const hexOf = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('Deduplicator', () => {
  it('drops a repeat within the horizon, per partition', () => {
    const d = new Deduplicator(60_000);
    expect(d.admit(0, 'a', 1_000)).toBe(true);
    expect(d.admit(0, 'a', 1_500)).toBe(false);
    expect(d.admit(1, 'a', 1_500)).toBe(true); // another partition: another producer's id space
    expect(d.admit(0, 'b', 2_000)).toBe(true);
  });

  it('forgets ids a bucket at a time once they leave the horizon, so memory stays bounded', () => {
    const d = new Deduplicator(16_000); // buckets of 1 s
    let most = 0;
    for (let t = 0; t < 1_000_000; t += 100) {
      d.admit(0, `id-${t}`, t);
      most = Math.max(most, d.size(0));
    }
    // ~165 ids within the horizon; forgotten ones are dropped whenever the memory held doubles.
    expect(d.size(0)).toBeGreaterThanOrEqual(160);
    expect(most).toBeLessThanOrEqual(2 * 170 + 1);
    expect(d.admit(0, 'id-0', 100_000)).toBe(true); // too far apart to be recognised
  });

  it('hands each stored id to exactly one checkpoint, and says which buckets are gone', () => {
    const d = new Deduplicator(16_000);
    d.admit(0, 'a', 500);
    d.admit(0, 'b', 1_500);
    expect(d.takeChanges(0)).toEqual({
      added: [
        { bucketStartMs: 0, ids: ['a'] },
        { bucketStartMs: 1_000, ids: ['b'] },
      ],
      expiredBeforeMs: -15_000,
    });
    d.admit(0, 'c', 17_200);
    expect(d.takeChanges(0)).toEqual({
      added: [{ bucketStartMs: 17_000, ids: ['c'] }],
      expiredBeforeMs: 1_000,
    });
    expect(d.admit(0, 'b', 17_300)).toBe(false);
    expect(d.admit(0, 'a', 17_300)).toBe(true);
  });

  it('agrees with an oracle on repeats, and restores from incremental rows exactly', () => {
    const ids = [
      'a',
      'b',
      'c',
      '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f1',
      '0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0',
    ];
    const event = fc.record({
      id: fc.constantFrom(...ids),
      t: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 200, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (events, cuts) => {
          const horizon = 20_000;
          const plain = new Deduplicator(horizon);
          const kept = events.map((e) => plain.admit(0, e.id, e.t));
          // Checkpoints at the cuts; a crash after the last one; a restore from the rows; the rest
          // replayed.
          const at = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((x, y) => x - y);
          const before = new Deduplicator(horizon);
          const store = new RowStore();
          let done = 0;
          for (const cut of at) {
            events.slice(done, cut).forEach((e) => before.admit(0, e.id, e.t));
            store.checkpoint(before, 0);
            done = cut;
          }
          const resumeAt = at.at(-1) ?? 0;
          const after = new Deduplicator(horizon);
          after.restore(JSON.parse(JSON.stringify(before.snapshot(0))), store.copy());
          expect(events.slice(resumeAt).map((e) => after.admit(0, e.id, e.t))).toEqual(
            kept.slice(resumeAt),
          );
          // A repeat whose first sighting is within the horizon of everything seen since is always
          // dropped.
          let max = -Infinity;
          const first = new Map<string, number>();
          events.forEach((e, i) => {
            max = Math.max(max, e.t);
            const seen = first.get(e.id);
            if (seen !== undefined && seen > max - horizon) expect(kept[i]).toBe(false);
            if (kept[i]) first.set(e.id, e.t);
          });
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('hands UUIDs over packed, 16 bytes each in the order first seen, and recognises them after a restore', () => {
    const d = new Deduplicator(16_000);
    const [u1, u2] = [
      '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      'ffffffff-0000-4000-8000-000000000001',
    ];
    d.admit(0, u1, 500);
    d.admit(0, 'plain', 600);
    d.admit(0, u2, 700);
    const { added } = d.takeChanges(0);
    expect(added).toHaveLength(1);
    expect(added[0]?.ids).toEqual(['plain']);
    expect(hexOf(added[0]?.uuids as Uint8Array)).toBe((u1 + u2).replaceAll('-', ''));
    const restored = new Deduplicator(16_000);
    restored.restore(d.snapshot(0), added);
    expect([u1, u2, 'plain'].map((id) => restored.admit(0, id, 800))).toEqual([
      false,
      false,
      false,
    ]);
    expect(restored.admit(0, u1.toUpperCase(), 800)).toBe(true); // another spelling is another id
    expect(() =>
      restored.restore(d.snapshot(0), [{ bucketStartMs: 0, ids: [], uuids: new Uint8Array(15) }]),
    ).toThrow(/16 bytes each/);
  });

  it('restores a checkpoint written before ids were stored incrementally', () => {
    const d = new Deduplicator(60_000);
    d.restore({ partition: 2, maxEventTimeMs: 5_000, ids: [['x', 4_000]] });
    expect(d.admit(2, 'x', 5_000)).toBe(false);
    expect(d.takeChanges(2).added).toEqual([{ bucketStartMs: 3_750, ids: ['x'] }]);
  });
});
