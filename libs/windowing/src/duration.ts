import { InvalidDurationError } from './errors';

/**
 * A duration as configured by people: integer milliseconds or `<integer><unit>` (ms, s, m, h, d).
 */
export type Duration = number | `${number}${DurationUnit}`;
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

const UNIT_MS: Record<DurationUnit, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)$/;

/**
 * Converts a {@link Duration} to integer milliseconds; rejects negatives, fractions and unknown
 * units.
 */
export function toMillis(duration: Duration | string): number {
  const ms = typeof duration === 'number' ? duration : parseDurationString(duration);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidDurationError(duration);
  return ms;
}

function parseDurationString(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) throw new InvalidDurationError(text);
  return Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
}
