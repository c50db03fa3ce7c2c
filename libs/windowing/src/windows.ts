import { Duration, toMillis } from './duration';

/**
 * Window shapes. Every window is half-open, [start, end): an event at exactly `end` belongs to
 * the next window. Fixed windows are aligned to the epoch plus `offsetMs`.
 */
export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: 'hopping'; readonly sizeMs: number; readonly advanceMs: number; readonly offsetMs: number }
  | { readonly kind: 'session'; readonly gapMs: number };

export type FixedWindowSpec = Extract<WindowSpec, { kind: 'tumbling' | 'hopping' }>;

/** Back-to-back windows of `size`: each event in exactly one. */
export function tumbling(size: Duration, options: { offset?: Duration } = {}): WindowSpec {
  return { kind: 'tumbling', sizeMs: positive(size, 'window size'), offsetMs: toMillis(options.offset ?? 0) };
}

/** Windows of `size` starting every `advance`: each event in every window that covers it. */
export function hopping(size: Duration, advance: Duration, options: { offset?: Duration } = {}): WindowSpec {
  const sizeMs = positive(size, 'window size');
  const advanceMs = positive(advance, 'window advance');
  if (advanceMs > sizeMs) throw new RangeError(`advance ${advanceMs}ms is larger than size ${sizeMs}ms: events would fall between windows`);
  return { kind: 'hopping', sizeMs, advanceMs, offsetMs: toMillis(options.offset ?? 0) };
}

/** Per key, a window that lasts while events keep coming less than `gap` apart. */
export function session(gap: Duration): WindowSpec {
  return { kind: 'session', gapMs: positive(gap, 'session gap') };
}

/** Starts of the fixed windows that contain `timeMs`, oldest first. */
export function windowStarts(spec: FixedWindowSpec, timeMs: number): number[] {
  const step = spec.kind === 'tumbling' ? spec.sizeMs : spec.advanceMs;
  const last = timeMs - mod(timeMs - spec.offsetMs, step);
  if (spec.kind === 'tumbling') return [last];
  const first = last - Math.floor((spec.sizeMs - 1 - (timeMs - last)) / step) * step;
  const starts: number[] = [];
  for (let start = first; start <= last; start += step) starts.push(start);
  return starts;
}

/** `a` modulo `n`, never negative (times before 1970 align too). */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Inserts a window (or pane) start into ascending starts; new ones are almost always the largest. */
export function insertSorted(sorted: number[], value: number): void {
  let i = sorted.length;
  while (i > 0 && (sorted[i - 1] as number) > value) i -= 1;
  sorted.splice(i, 0, value);
}

function positive(duration: Duration, what: string): number {
  const ms = toMillis(duration);
  if (ms <= 0) throw new RangeError(`${what} must be positive, got ${ms}ms`);
  return ms;
}
