import type { AnyAggregator, Scalar } from './aggregators/aggregator';
import { CompiledMetric, compileMetric, KeySource } from './compiled';
import { Duration, toMillis } from './duration';
import { InvalidMetricError } from './errors';
import type { WindowSpec } from './window-store';

export type KeyValue = Scalar | null;
export type GroupKey = Readonly<Record<string, KeyValue>>;

/** A metric as people write it (see README): what to window, by what, computing what. */
export interface MetricSpec<E> {
  /** Lowercase snake_case: it names tables, indices and result fields downstream. */
  readonly name: string;
  /** Event time in epoch milliseconds. */
  readonly eventTime: (event: E) => number;
  /** Only events for which this is true count for the metric. */
  readonly where?: (event: E) => boolean;
  readonly window: WindowSpec;
  /** Watermark = largest event time seen − this delay. Default 0. */
  readonly watermarkDelay?: Duration;
  /** A window still accepts events until watermark ≥ end + this. Default 0. */
  readonly allowedLateness?: Duration;
  /** Field names (fast), or a function returning the key fields. Default: one global group. */
  readonly groupBy?: readonly string[] | ((event: E) => GroupKey);
  readonly aggregate: Readonly<Record<string, AnyAggregator<E>>>;
  /**
   * `update`: live results whenever the caller asks, then a final one. `final`: only the final one.
   */
  readonly emit?: 'update' | 'final';
}

export interface Metric<E> {
  readonly name: string;
  readonly eventTime: (event: E) => number;
  readonly where?: (event: E) => boolean;
  readonly window: WindowSpec;
  readonly watermarkDelayMs: number;
  readonly allowedLatenessMs: number;
  /**
   * Watermark delay + allowed lateness: a window closes (final) once the largest event time
   * seen passes its end by this. The two are only ever added; both are kept for reporting.
   */
  readonly graceMs: number;
  readonly aggregates: readonly (readonly [string, AnyAggregator<E>])[];
  readonly emit: 'update' | 'final';
  /** The group identity of an event, or undefined when a key value is not a scalar (or null). */
  readonly keyId: (event: E) => string | undefined;
  /**
   * How events are keyed, as saved state sees it: `global`, `fields(a,b)` or `function` (a
   * restore refuses state keyed otherwise; a changed key function cannot be told apart).
   */
  readonly keyLayout: string;
  /** The key fields themselves: built once per new (window, key), not per event. */
  readonly keyOf: (event: E) => GroupKey;
  /**
   * `where`, `keyId` and the aggregates' select/check/add as code generated for this metric (the
   * hot path).
   */
  readonly compiled: CompiledMetric<E>;
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Validates and normalises a metric definition; throws InvalidMetricError for a definition that
 * cannot work.
 */
export function metric<E>(spec: MetricSpec<E>): Metric<E> {
  if (!NAME.test(spec.name))
    throw new InvalidMetricError(
      spec.name,
      'name must be lowercase snake_case, at most 63 characters',
    );
  const aggregates = Object.entries(spec.aggregate);
  if (aggregates.length === 0)
    throw new InvalidMetricError(spec.name, 'needs at least one aggregate');
  for (const [field] of aggregates)
    if (!NAME.test(field))
      throw new InvalidMetricError(spec.name, `aggregate name ${field} must be snake_case`);
  const keys = keyFunctions(spec.groupBy);
  const keySource: KeySource<E> =
    typeof spec.groupBy === 'function'
      ? { keyId: keys.keyId }
      : { fields: spec.groupBy ?? [], scalarId };
  const watermarkDelayMs = toMillis(spec.watermarkDelay ?? 0);
  const allowedLatenessMs = toMillis(spec.allowedLateness ?? 0);
  return {
    name: spec.name,
    eventTime: spec.eventTime,
    where: spec.where,
    window: spec.window,
    watermarkDelayMs,
    allowedLatenessMs,
    graceMs: watermarkDelayMs + allowedLatenessMs,
    aggregates,
    keyLayout: keyLayoutOf(spec.groupBy),
    emit: spec.emit ?? 'update',
    ...keys,
    compiled: compileMetric(spec.name, aggregates, spec.where, keySource),
  };
}

function keyFunctions<E>(groupBy: MetricSpec<E>['groupBy']): Pick<Metric<E>, 'keyId' | 'keyOf'> {
  if (groupBy === undefined) return { keyId: () => '', keyOf: () => ({}) };
  if (typeof groupBy === 'function') {
    return {
      keyId: (event) => {
        const key = groupBy(event);
        return fieldsId(Object.keys(key), key);
      },
      keyOf: groupBy,
    };
  }
  const fields = [...groupBy];
  return {
    keyId:
      fields.length === 1
        ? singleFieldId(fields[0] as string)
        : (event) => fieldsId(fields, event as Record<string, unknown>),
    keyOf: (event) =>
      Object.fromEntries(
        fields.map((field) => [field, (event as Record<string, unknown>)[field] as KeyValue]),
      ),
  };
}

function keyLayoutOf<E>(groupBy: MetricSpec<E>['groupBy']): string {
  if (groupBy === undefined) return 'global';
  return typeof groupBy === 'function' ? 'function' : `fields(${groupBy.join(',')})`;
}

/** The hot path: one string field is its own identity. */
function singleFieldId(field: string) {
  return (event: unknown): string | undefined => {
    const value = (event as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : scalarId(value);
  };
}

function fieldsId(fields: readonly string[], event: Record<string, unknown>): string | undefined {
  let id = '';
  for (let i = 0; i < fields.length; i += 1) {
    const value = event[fields[i] as string];
    const part = typeof value === 'string' ? value : scalarId(value);
    if (part === undefined) return undefined;
    id = i === 0 ? part : `${id}\u001f${part}`;
  }
  return id;
}

/**
 * Strings stand for themselves; other scalars get a tag so that 1 and '1' differ; anything else
 * is no key. The tag is U+0001, not NUL: PostgreSQL's jsonb (checkpoints) refuses NUL.
 */
function scalarId(value: unknown): string | undefined {
  const t = typeof value;
  if (value !== null && t !== 'boolean' && !(t === 'number' && Number.isFinite(value)))
    return undefined;
  return `\u0001${String(value)}`;
}
