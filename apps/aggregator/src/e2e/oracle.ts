import { Murmur2Partitioner } from '@rta/stream-io';
import type { AnyAggregator, HoppingWindow, Metric, SessionWindow } from '@rta/windowing';

/**
 * An independent batch recomputation of every metric over the simulator's `--dump`: all events
 * at once, windows assigned by brute force, each group aggregated from scratch. It shares only
 * the metric *definitions* with the engine (event time, filter, key, selected values) and
 * applies the engine's documented rules: results per input partition; an event is late for a
 * window that ended by (largest event time so far in its partition − delay − lateness); a
 * window is final once it ended by that bound at the end of the stream; a final-only metric has
 * rows for final windows only.
 */
export interface DumpLine<E> {
  readonly topic: string;
  readonly key: string;
  readonly event?: E;
  readonly malformed?: string;
  readonly duplicate?: true;
}

export interface ExpectedRow {
  readonly partition: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly key: Readonly<Record<string, unknown>>;
  readonly values: Readonly<Record<string, unknown>>;
  readonly final: boolean;
}

const partitioner = new Murmur2Partitioner();

/** The Java client's murmur2 partitioner, as the simulator's producer uses it. */
export function partitionOf(key: string, partitions: number): number {
  return partitioner.partition(key, partitions);
}

/**
 * The events each partition receives, in offset order: malformed lines dropped, repeats of an event
 * id dropped.
 */
export function eventsByPartition<E extends { event_id: string }>(
  lines: readonly DumpLine<E>[],
  partitions: number,
  keep: (e: E) => boolean,
): E[][] {
  const out: E[][] = Array.from({ length: partitions }, () => []);
  const seen = Array.from({ length: partitions }, () => new Set<string>());
  for (const line of lines) {
    if (!line.event || !keep(line.event)) continue;
    const p = partitionOf(line.key, partitions);
    if ((seen[p] as Set<string>).has(line.event.event_id)) continue;
    (seen[p] as Set<string>).add(line.event.event_id);
    (out[p] as E[]).push(line.event);
  }
  return out;
}

interface Group<E> {
  start: number;
  end: number;
  readonly key: Readonly<Record<string, unknown>>;
  events: E[];
}

/** Every (partition, window, key) row the metric should hold after the whole stream. */
export function recompute<E>(
  metric: Metric<E>,
  partitions: readonly (readonly E[])[],
): ExpectedRow[] {
  const slack = metric.watermarkDelayMs + metric.allowedLatenessMs;
  return partitions.flatMap((events, partition) => {
    const groups: Group<E>[] = [];
    const place =
      metric.window.kind === 'session'
        ? sessionPlacer(metric, (metric.window as SessionWindow).gapMs, groups)
        : fixedPlacer(metric, groups);
    let maxTimeMs = -Infinity;
    for (const event of events) {
      const timeMs = metric.eventTime(event);
      maxTimeMs = Math.max(maxTimeMs, timeMs); // filtered-out events move time too
      if (metric.where && !metric.where(event)) continue;
      if (metric.keyId(event) === undefined) continue; // a null key: rejected by the metric
      place(event, timeMs, maxTimeMs - slack);
    }
    const rows = groups.map((g) => ({
      partition,
      windowStartMs: g.start,
      windowEndMs: g.end,
      key: g.key,
      values: aggregate(metric, g.events),
      final: g.end <= maxTimeMs - slack,
    }));
    return metric.emit === 'final' ? rows.filter((r) => r.final) : rows; // final-only metrics write no live rows
  });
}

type Placer<E> = (event: E, timeMs: number, deadlineMs: number) => void;

function fixedPlacer<E>(metric: Metric<E>, groups: Group<E>[]): Placer<E> {
  const w = metric.window as HoppingWindow; // tumbling and hopping: a fixed grid (tumbling: advance = size)
  const step = w.advanceMs;
  const index = new Map<string, Group<E>>();
  return (event, timeMs, deadlineMs) => {
    const lastStart = Math.floor((timeMs - w.offsetMs) / step) * step + w.offsetMs;
    for (let start = lastStart; start > timeMs - w.sizeMs; start -= step) {
      if (start + w.sizeMs <= deadlineMs) continue; // late for this window
      const id = `${start}|${metric.keyId(event)}`;
      let group = index.get(id);
      if (!group) {
        group = { start, end: start + w.sizeMs, key: metric.keyOf(event), events: [] };
        index.set(id, group);
        groups.push(group);
      }
      group.events.push(event);
    }
  };
}

/**
 * Sessions [first, last + gap) per key. An event reaching a session that already ended (by the
 * deadline) but can still be reached is late; otherwise it merges every live session it reaches.
 */
function sessionPlacer<E>(metric: Metric<E>, gapMs: number, groups: Group<E>[]): Placer<E> {
  const byKey = new Map<string, Group<E>[]>();
  return (event, timeMs, deadlineMs) => {
    const keyId = metric.keyId(event) as string;
    const sessions = byKey.get(keyId) ?? [];
    const reached = sessions.filter((s) => s.start < timeMs + gapMs && timeMs < s.end);
    if (reached.some((s) => s.end <= deadlineMs && deadlineMs < s.end + gapMs)) return;
    const live = reached.filter((s) => s.end > deadlineMs);
    const start = Math.min(timeMs, ...live.map((s) => s.start));
    const end = Math.max(timeMs + gapMs, ...live.map((s) => s.end));
    if (end <= deadlineMs) return;
    const merged: Group<E> = {
      start,
      end,
      key: metric.keyOf(event),
      events: [...live.flatMap((s) => s.events), event],
    };
    byKey.set(keyId, [...sessions.filter((s) => !live.includes(s)), merged]);
    for (const s of live) groups.splice(groups.indexOf(s), 1);
    groups.push(merged);
  };
}

function aggregate<E>(metric: Metric<E>, events: readonly E[]): Record<string, unknown> {
  return Object.fromEntries(metric.aggregates.map(([name, agg]) => [name, fold(agg, events)]));
}

function fold<E>(agg: AnyAggregator<E>, events: readonly E[]): unknown {
  const values = events.map((e) => agg.select(e)).filter((v) => v !== undefined);
  switch (agg.kind) {
    case 'count':
      return events.length;
    case 'sum':
      return values.reduce((a: number, v: number) => a + v, 0);
    case 'min':
      return values.length ? Math.min(...(values as number[])) : null;
    case 'max':
      return values.length ? Math.max(...(values as number[])) : null;
    case 'countDistinct':
      return new Set(values).size;
    case 'distinctValues':
      return [...new Set(values)].sort((a, b) =>
        String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
      );
    default:
      throw new Error(`the oracle has no definition of ${agg.kind}`);
  }
}
