import type { Cell } from './cells';
import { cellValues } from './cells';
import { INVALID_KEY, INVALID_TIME } from './compiled';
import { EventError } from './errors';
import type { Metric } from './metric';
import { resultId, Retraction, WindowResult } from './outputs';

export interface Parsed {
  timeMs: number;
  keyId: string;
  readonly values: unknown[];
}

/**
 * Reads an event into `into` (key id, selected values) with the metric's compiled code: true
 * when it counts, false when the metric filters it out, or why it cannot count. `into` is
 * scratch space reused per metric, consumed before the next event (the engine is synchronous),
 * so the hot path allocates nothing.
 */
export function parseEvent<E>(
  metric: Metric<E>,
  event: E,
  timeMs: number,
  into: Parsed,
): true | false | EventError {
  try {
    const code = metric.compiled.parse(event, timeMs, into);
    if (code === true) {
      into.timeMs = timeMs;
      return true;
    }
    return code === false ? false : whyNot(metric, event, code);
  } catch (cause) {
    const message = `threw: ${(cause as Error)?.message ?? String(cause)}`;
    return new EventError('SELECTOR_FAILED', metric.name, 'a selector', message, { cause });
  }
}

/** The error for a refused event (the cold path: read again to say what was wrong). */
function whyNot<E>(metric: Metric<E>, event: E, code: number): EventError {
  if (code === INVALID_TIME) {
    const raw = metric.eventTime(event);
    return new EventError(
      'INVALID_EVENT_TIME',
      metric.name,
      'event time',
      `is ${String(raw)}, not integer epoch milliseconds`,
    );
  }
  if (code === INVALID_KEY) {
    return new EventError(
      'INVALID_KEY',
      metric.name,
      'group key',
      'has a value that is not a string, number, boolean or null',
    );
  }
  const [name, agg] = metric.aggregates[code] as (typeof metric.aggregates)[number];
  return new EventError(
    'INVALID_VALUE',
    metric.name,
    name,
    agg.check(agg.select(event)) ?? 'is invalid',
  );
}

export function toResult<E>(
  metric: Metric<E>,
  partition: number,
  cell: Cell,
  final: boolean,
): WindowResult {
  return {
    kind: 'result',
    id: resultId(metric.name, partition, cell.start, cell.keyId),
    version: cell.version,
    metric: metric.name,
    partition,
    windowStartMs: cell.start,
    windowEndMs: cell.end,
    key: cell.key,
    values: cellValues(metric, cell),
    final,
  };
}

export function toRetraction<E>(metric: Metric<E>, partition: number, cell: Cell): Retraction {
  return {
    kind: 'retract',
    id: resultId(metric.name, partition, cell.start, cell.keyId),
    version: cell.version,
    metric: metric.name,
    partition,
    windowStartMs: cell.start,
    key: cell.key,
  };
}
