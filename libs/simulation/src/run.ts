import {
  ChaosOptions,
  drawDelayMs,
  malform,
  MALFORMED_KINDS,
  MalformedKind,
  NO_CHAOS,
} from './chaos';
import { Rng } from './rng';
import type { Scenario } from './scenario';
import { RatePlan, VirtualClock } from './virtual-clock';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer;
}

/** One line of the `--dump` file: exactly what was produced, in order. */
export type DumpRecord<E> =
  | { readonly key: string; readonly event: E; readonly duplicate?: true }
  | { readonly key: string; readonly malformed: MalformedKind };

export interface RunStats {
  /** Every message sent: events + duplicates + malformed. */
  readonly messages: number;
  readonly events: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly elapsedMs: number;
}

export interface RunOptions<E extends { timestamp: number }> {
  readonly scenario: Scenario<E>;
  readonly rng: Rng;
  readonly plan: RatePlan;
  readonly startTimeMs: number;
  /** Send as fast as the sink accepts instead of pacing to the plan's rate. */
  readonly unpaced: boolean;
  /** Stop after exactly this many messages; run until aborted when absent. */
  readonly count?: number;
  readonly chaos?: ChaosOptions;
  readonly batchSize?: number;
  readonly encode: (event: E) => Buffer;
  readonly send: (batch: readonly OutgoingMessage[]) => Promise<void>;
  readonly dump?: (record: DumpRecord<E>) => void;
  readonly signal?: AbortSignal;
}

/**
 * Generates, encodes and sends events in batches, paced to the plan (or as fast as possible),
 * until `count` messages are out or `signal` aborts. Each batch is awaited before the next, so
 * the order per key is the order produced; batches are what make it fast.
 */
export async function runSimulation<E extends { timestamp: number }>(
  options: RunOptions<E>,
): Promise<RunStats> {
  const { rng, signal, count } = options;
  const clock = new VirtualClock(options.startTimeMs, options.plan);
  const batcher = new Batcher(options);
  const startedAt = performance.now();
  while (!signal?.aborted && (count === undefined || batcher.stats.messages < count)) {
    const due = options.unpaced ? Infinity : performance.now() - startedAt;
    if (clock.offsetMs > due) {
      await sleep(Math.min(clock.offsetMs - due, 50));
      continue;
    }
    const room = Math.min(
      options.batchSize ?? 1_000,
      count === undefined ? Infinity : count - batcher.stats.messages,
    );
    const batch = batcher.fill(clock, due, room, rng);
    await options.send(batch);
  }
  return { ...batcher.stats, elapsedMs: performance.now() - startedAt };
}

/**
 * Builds batches: events whose virtual time is due, plus the duplicates and malformed messages
 * chaos asks for.
 */
class Batcher<E extends { timestamp: number }> {
  readonly stats = { messages: 0, events: 0, duplicates: 0, malformed: 0 };
  private readonly chaos: ChaosOptions;

  constructor(private readonly options: RunOptions<E>) {
    this.chaos = options.chaos ?? NO_CHAOS;
  }

  fill(clock: VirtualClock, dueMs: number, room: number, rng: Rng): OutgoingMessage[] {
    const batch: OutgoingMessage[] = [];
    while (batch.length < room && clock.offsetMs <= dueMs) {
      const at = clock.tick();
      const event = this.options.scenario.next(at - drawDelayMs(rng, this.chaos));
      const key = this.options.scenario.keyOf(event);
      const value = this.options.encode(event);
      this.push(batch, { key, value }, { key, event }, 'events');
      if (batch.length < room && rng.chance(this.chaos.duplicateRatio)) {
        this.push(batch, { key, value }, { key, event, duplicate: true }, 'duplicates');
      }
      if (batch.length < room && rng.chance(this.chaos.malformedRatio)) {
        const kind = rng.pick(MALFORMED_KINDS);
        this.push(
          batch,
          { key, value: malform(value, kind, rng, event) },
          { key, malformed: kind },
          'malformed',
        );
      }
    }
    return batch;
  }

  private push(
    batch: OutgoingMessage[],
    message: OutgoingMessage,
    record: DumpRecord<E>,
    kind: 'events' | 'duplicates' | 'malformed',
  ): void {
    batch.push(message);
    this.options.dump?.(record);
    this.stats.messages += 1;
    this.stats[kind] += 1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)));
}
