import { Rng } from './rng';

/** Disorder and bad input, all off by default: the knobs the pipeline's tests turn on. */
export interface ChaosOptions {
  /**
   * Fraction of events stamped earlier than their neighbours (out of order, within the watermark).
   */
  readonly outOfOrderRatio: number;
  readonly outOfOrderMaxDelayMs: number;
  /** Fraction of events stamped so far back that they arrive after their window closed. */
  readonly lateRatio: number;
  readonly lateDelayMs: number;
  /** How delays are drawn: uniform in [0, max], or exponential with mean max/3 (capped at max). */
  readonly delayDistribution: 'uniform' | 'exponential';
  /** Fraction of events sent a second time, same event_id and bytes. */
  readonly duplicateRatio: number;
  /**
   * Fraction of messages replaced by malformed bytes (on top of the good events, never instead).
   */
  readonly malformedRatio: number;
}

export const NO_CHAOS: ChaosOptions = {
  outOfOrderRatio: 0,
  outOfOrderMaxDelayMs: 0,
  lateRatio: 0,
  lateDelayMs: 0,
  delayDistribution: 'uniform',
  duplicateRatio: 0,
  malformedRatio: 0,
};

export const MALFORMED_KINDS = [
  'bad_magic_byte',
  'unknown_schema_id',
  'truncated_body',
  'not_avro',
  'json',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** How far back to stamp an event (0: on time). Late beats out-of-order when both are drawn. */
export function drawDelayMs(rng: Rng, chaos: ChaosOptions): number {
  if (rng.chance(chaos.lateRatio))
    return chaos.lateDelayMs + Math.floor(rng.float() * chaos.lateDelayMs * 0.5);
  if (!rng.chance(chaos.outOfOrderRatio)) return 0;
  const max = chaos.outOfOrderMaxDelayMs;
  const delay =
    chaos.delayDistribution === 'uniform'
      ? rng.float() * max
      : Math.min(rng.exponential(max / 3), max);
  return Math.floor(delay);
}

/**
 * Corrupts a valid Confluent-framed message in the way `kind` names (what a dead-letter path must
 * catch).
 */
export function malform(valid: Buffer, kind: MalformedKind, rng: Rng, event: unknown): Buffer {
  switch (kind) {
    case 'bad_magic_byte':
      return Buffer.concat([Buffer.from([1]), valid.subarray(1)]);
    case 'unknown_schema_id':
      return Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]), valid.subarray(5)]);
    case 'truncated_body':
      return valid.subarray(0, Math.max(5, valid.length - rng.int(1, 8)));
    case 'not_avro':
      return Buffer.concat([
        valid,
        Buffer.from(Array.from({ length: rng.int(1, 12) }, () => rng.int(0, 0xff))),
      ]);
    case 'json':
      return Buffer.from(JSON.stringify(event));
  }
}
