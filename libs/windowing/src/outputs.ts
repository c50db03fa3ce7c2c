import type { EventError } from './errors';
import type { GroupKey } from './metric';

/**
 * A full snapshot of one (metric, partition, window, key): never a delta. Sinks overwrite by
 * `id`, keeping the highest `version` (the number of events the values include, which only
 * grows); at an equal version a final result replaces a live one. Writing a result twice, or an
 * older one after a newer one, therefore changes nothing.
 */
export interface WindowResult {
  readonly kind: 'result';
  readonly id: string;
  readonly version: number;
  readonly metric: string;
  /** The input partition whose events these are (results are per partition; see README). */
  readonly partition: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly key: GroupKey;
  readonly values: Readonly<Record<string, unknown>>;
  readonly final: boolean;
}

/** A live session that merged into another: sinks delete `id` unless they hold a newer version. */
export interface Retraction {
  readonly kind: 'retract';
  readonly id: string;
  readonly version: number;
  readonly metric: string;
  readonly partition: number;
  readonly windowStartMs: number;
  readonly key: GroupKey;
}

/** An event that arrived after its window closed (end + allowed lateness ≤ watermark). */
export interface LateEvent<E> {
  readonly kind: 'late';
  readonly metric: string;
  readonly partition: number;
  readonly event: E;
  readonly eventTimeMs: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly watermarkMs: number;
  /** How far past the window's deadline (end + allowed lateness) the watermark already was. */
  readonly lateByMs: number;
}

/** An event the metric could not use (no event time, NaN in a summed field, ...). */
export interface RejectedEvent<E> {
  readonly kind: 'error';
  readonly partition: number;
  readonly event: E;
  readonly error: EventError;
}

export type EngineOutput<E> = WindowResult | Retraction | LateEvent<E> | RejectedEvent<E>;

/** `metric|partition|windowStart|key id`: stable across restarts and processes. */
export function resultId(
  metric: string,
  partition: number,
  windowStartMs: number,
  keyId: string,
): string {
  return `${metric}|${partition}|${windowStartMs}|${keyId}`;
}
