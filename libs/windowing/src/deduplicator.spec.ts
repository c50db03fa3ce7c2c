import fc from 'fast-check';
import { Deduplicator } from './deduplicator';

describe('Deduplicator', () => {
  it('drops a repeat within the horizon, per partition', () => {
    const d = new Deduplicator(60_000);
    expect(d.admit(0, 'a', 1_000)).toBe(true);
    expect(d.admit(0, 'a', 1_500)).toBe(false);
    expect(d.admit(1, 'a', 1_500)).toBe(true); // another partition: another producer's id space
    expect(d.admit(0, 'b', 2_000)).toBe(true);
  });

  it('forgets ids older than the horizon, so memory stays bounded', () => {
    const d = new Deduplicator(10_000);
    for (let t = 0; t < 100_000; t += 100) d.admit(0, `id-${t}`, t);
    expect(d.size(0)).toBeLessThanOrEqual(101);
    expect(d.admit(0, 'id-0', 100_000)).toBe(true); // too far apart to be recognised
  });

  it('agrees with an oracle on repeats within the horizon, and survives snapshot/restore', () => {
    fc.assert(fc.property(fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), t: fc.integer({ min: 0, max: 100_000 }) }), { maxLength: 200 }), fc.nat(), (events, cut) => {
      const horizon = 20_000;
      const plain = new Deduplicator(horizon);
      const restored = new Deduplicator(horizon);
      const at = cut % (events.length + 1);
      const kept = events.map((e) => plain.admit(0, e.id, e.t));
      events.slice(0, at).forEach((e) => restored.admit(0, e.id, e.t));
      const again = new Deduplicator(horizon);
      again.restore(JSON.parse(JSON.stringify(restored.snapshot(0))));
      expect([...kept.slice(0, at), ...events.slice(at).map((e) => again.admit(0, e.id, e.t))]).toEqual(kept);
      // A repeat whose first sighting is within the horizon of everything seen since is always dropped.
      let max = -Infinity;
      const first = new Map<string, number>();
      events.forEach((e, i) => {
        max = Math.max(max, e.t);
        const seen = first.get(e.id);
        if (seen !== undefined && seen > max - horizon) expect(kept[i]).toBe(false);
        if (kept[i]) first.set(e.id, e.t);
      });
    }), { numRuns: 500 });
  });
});
