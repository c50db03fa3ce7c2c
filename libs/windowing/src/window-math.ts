import { Duration, toMillis } from './duration';

/** `a` modulo `n`, never negative (times before 1970 align too). */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Inserts a window (or pane) start into ascending starts; new ones are almost always the largest.
 */
export function insertSorted(sorted: number[], value: number): void {
  let i = sorted.length;
  while (i > 0 && (sorted[i - 1] as number) > value) i -= 1;
  sorted.splice(i, 0, value);
}

export function positiveMillis(duration: Duration, what: string): number {
  const ms = toMillis(duration);
  if (ms <= 0) throw new RangeError(`${what} must be positive, got ${ms}ms`);
  return ms;
}

/** Fixed windows aligned to the epoch plus `offsetMs`, starting every `advanceMs`. */
export interface FixedGrid {
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly offsetMs: number;
}

/** Starts of the fixed windows that contain `timeMs`, oldest first. */
export function windowStarts(grid: FixedGrid, timeMs: number): number[] {
  const step = grid.advanceMs;
  const last = timeMs - mod(timeMs - grid.offsetMs, step);
  if (step === grid.sizeMs) return [last];
  const first = last - Math.floor((grid.sizeMs - 1 - (timeMs - last)) / step) * step;
  const starts: number[] = [];
  for (let start = first; start <= last; start += step) starts.push(start);
  return starts;
}
