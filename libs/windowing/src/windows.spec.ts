import fc from 'fast-check';
import { tumbling } from './fixed-windows';
import { hopping } from './pane-windows';
import { session } from './session-windows';
import { windowStarts } from './window-math';

describe('window assignment', () => {
  it('tumbling: [start, end) — an event exactly at the end belongs to the next window', () => {
    const w = tumbling('1m') as never;
    expect(windowStarts(w, 0)).toEqual([0]);
    expect(windowStarts(w, 59_999)).toEqual([0]);
    expect(windowStarts(w, 60_000)).toEqual([60_000]);
  });

  it('handles negative (pre-epoch) times with floor semantics', () => {
    expect(windowStarts(tumbling('1m') as never, -1)).toEqual([-60_000]);
    expect(windowStarts(tumbling('1m') as never, -60_000)).toEqual([-60_000]);
    expect(windowStarts(tumbling('1m') as never, -60_001)).toEqual([-120_000]);
  });

  it('respects an offset', () => {
    expect(windowStarts(tumbling('1m', { offset: '15s' }) as never, 10_000)).toEqual([-45_000]);
    expect(windowStarts(tumbling('1m', { offset: '15s' }) as never, 15_000)).toEqual([15_000]);
  });

  it('hopping: every window that covers the event, oldest first', () => {
    const w = hopping('5m', '1m') as never;
    expect(windowStarts(w, 60_000)).toEqual([-180_000, -120_000, -60_000, 0, 60_000]);
    expect(windowStarts(w, 299_999)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    expect(windowStarts(hopping('10s', '4s') as never, 9_000)).toEqual([0, 4_000, 8_000]);
  });

  it('agrees with a brute-force search for any time, size and advance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (t, a, extra) => {
          const size = a + extra;
          const expected: number[] = [];
          for (let s = Math.floor((t - size) / a) * a; s <= t; s += a)
            if (t < s + size) expected.push(s);
          expect(windowStarts(hopping(size, a) as never, t)).toEqual(expected);
        },
      ),
    );
  });

  it('rejects impossible shapes', () => {
    expect(() => tumbling(0)).toThrow(RangeError);
    expect(() => hopping('1m', '2m')).toThrow(/larger than size/);
    expect(() => session('0s')).toThrow(RangeError);
  });
});
