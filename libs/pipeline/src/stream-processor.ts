import type { AvroSerde, ValidationIssue } from '@rta/event-schemas';
import type { SourceRecord } from '@rta/stream-io';
import {
  Deduplicator,
  RestoreReport,
  Retraction,
  StateLayoutError,
  WindowingEngine,
  WindowResult,
} from '@rta/windowing';
import { PipelineError } from './errors';
import { originOf, routeOutputs } from './output-routing';
import { decodeRecord } from './record-decoding';
import type {
  BatchOutcome,
  DeadLetter,
  PartitionCheckpoint,
  PartitionProgress,
  PartitionState,
  ProcessorOptions,
  SavedPartition,
  StreamSpec,
} from './processor-types';

export type {
  BatchOutcome,
  DeadLetter,
  PartitionCheckpoint,
  PartitionProgress,
  PartitionState,
  ProcessorOptions,
  SavedPartition,
  StreamSpec,
} from './processor-types';

/**
 * Read once: a CommonJS transform (tsx, jest) turns each use of an imported binding into a getter
 * call, and these are used per record.
 */
const decodeOne = decodeRecord;

/**
 * Decode → validate → de-duplicate → window, for one topic. Keeps, per partition, the offset its
 * state has reached; the aggregator collects results and that progress to make them durable.
 */
export class StreamProcessor<E> {
  readonly engine: WindowingEngine<E>;
  private readonly dedupe?: Deduplicator;
  private pendingFinals: (WindowResult | Retraction)[] = [];
  private readonly progress = new Map<number, PartitionProgress>();

  constructor(
    readonly spec: StreamSpec<E>,
    private readonly serde: AvroSerde,
    private readonly options: ProcessorOptions = {},
  ) {
    this.engine = new WindowingEngine(spec.metrics, {
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    });
    if (options.dedupeHorizonMs !== undefined)
      this.dedupe = new Deduplicator(options.dedupeHorizonMs);
  }

  /**
   * Records of one partition in offset order. Never throws for bad input: it becomes dead letters.
   */
  async process(records: readonly SourceRecord[], nowMs: number): Promise<BatchOutcome> {
    const { events, sources, deadLetters, duplicates } = await this.admit(records, nowMs);
    const late = new Map<string, number>();
    const lateLetters: DeadLetter[] = [];
    const partition = (records[0] as SourceRecord).partition;
    const outputs = this.engine.process(partition, events, nowMs);
    routeOutputs(outputs, originOf(events, sources), {
      finals: this.pendingFinals,
      late,
      lateLetters,
      deadLetters,
    });
    this.advanced(records);
    const byType = new Map<string, number>();
    for (const e of events) {
      const type = this.spec.eventType(e);
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    return { deadLetters, lateLetters, accepted: events.length, duplicates, late, byType };
  }

  /**
   * Decodes, validates and de-duplicates: the events to window, each with its record, and what was
   * refused.
   */
  private async admit(records: readonly SourceRecord[], nowMs: number): Promise<AdmittedBatch<E>> {
    const events: E[] = [];
    const sources: SourceRecord[] = [];
    const deadLetters: DeadLetter[] = [];
    let duplicates = 0;
    const policy = {
      nowMs,
      maxAgeMs: this.options.maxEventAgeMs,
      maxFutureMs: this.options.maxEventFutureMs,
    };
    for (const record of records) {
      const decoding = decodeOne<E>(this.serde, this.spec.readerType, record, deadLetters);
      const event = decoding instanceof Promise ? await decoding : decoding;
      if (event === undefined) continue;
      const issues = this.spec.validate(event, policy);
      if (issues.length > 0) {
        deadLetters.push({
          record,
          reason: {
            code: (issues[0] as ValidationIssue).code,
            message: issues.map((i) => i.message).join('; '),
          },
        });
        continue;
      }
      const timeMs = this.spec.eventTime(event);
      if (this.dedupe && !this.dedupe.admit(record.partition, this.spec.eventId(event), timeMs)) {
        duplicates += 1;
        continue;
      }
      events.push(event);
      sources.push(record);
    }
    return { events, sources, deadLetters, duplicates };
  }

  /**
   * Closes what processing time allows (idle partitions), then hands over every result since the
   * last call.
   */
  collect(nowMs: number): (WindowResult | Retraction)[] {
    routeOutputs(this.engine.advance(nowMs), () => undefined, {
      finals: this.pendingFinals,
      late: new Map(),
      lateLetters: [],
      deadLetters: [],
    });
    const finals = new Set(this.pendingFinals.map((f) => f.id));
    // A live update of a window that closed since the last collection is superseded by its final:
    // not written twice.
    const live = this.engine.emitUpdates().filter((u) => u.kind === 'retract' || !finals.has(u.id));
    const items = this.pendingFinals.concat(live);
    this.pendingFinals = [];
    return items;
  }

  /** Partitions that moved since the last call, with the offset their state now covers. */
  takeProgress(): PartitionProgress[] {
    const progress = [...this.progress.values()];
    this.progress.clear();
    return progress;
  }

  /**
   * The partition's state now, as an increment over the previous call's (take it right after
   * `collect`).
   */
  checkpointOf(partition: number): PartitionCheckpoint {
    const stateChanges = this.engine.takeChanges(partition);
    const state = {
      engine: stateChanges.header,
      ...(this.dedupe ? { dedupe: this.dedupe.snapshot(partition) } : {}),
    };
    return { state, stateChanges, dedupeIds: this.dedupe?.takeChanges(partition) };
  }

  /**
   * Takes over partitions: restores the saved states (all or none), the rest start empty and
   * hold the watermark. Returns what each restore changed beyond loading state as saved.
   */
  assign(
    partitions: readonly number[],
    saved: ReadonlyMap<number, SavedPartition>,
    nowMs: number,
  ): RestoreReport[] {
    const reports = [...saved].map(([partition, state]) => this.restore(partition, state, nowMs));
    this.engine.assign(partitions, nowMs);
    return reports;
  }

  release(partition: number): void {
    this.engine.release(partition);
    this.progress.delete(partition);
    this.pendingFinals = this.pendingFinals.filter((item) => item.partition !== partition);
  }

  /** Event ids the de-duplicator remembers over all partitions (0 when it is off). */
  get rememberedIds(): number {
    return this.dedupe?.size() ?? 0;
  }

  maxEventTimeMs(partition: number): number | undefined {
    return this.engine.maxEventTimeMs(partition);
  }

  private restore(partition: number, saved: SavedPartition, nowMs: number): RestoreReport {
    const where = `the checkpoint of ${this.spec.topic}:${partition}`;
    const s = saved.state as Partial<PartitionState> | null;
    if (!s?.engine || partitionOf(s.engine) !== partition) {
      const fix = 'delete its stream_checkpoints row to start it over';
      throw new PipelineError(
        'CHECKPOINT_UNREADABLE',
        `${where} holds no engine state for that partition; ${fix}`,
        false,
      );
    }
    try {
      const report = this.engine.restore(s.engine, nowMs, saved.stateRows, {
        resetMetrics: this.options.resetMetrics,
      });
      if (this.dedupe && s.dedupe) this.dedupe.restore(s.dedupe, saved.dedupeBuckets);
      return report;
    } catch (cause) {
      throw unreadable(where, cause as Error);
    }
  }

  /** Synchronous once the writer schema is known (almost always): no promise per record. */
  private advanced(records: readonly SourceRecord[]): void {
    const last = records.at(-1) as SourceRecord;
    const before = this.progress.get(last.partition);
    this.progress.set(last.partition, {
      partition: last.partition,
      nextOffset: (BigInt(last.offset) + 1n).toString(),
      oldestRecordMs: Math.min(
        before?.oldestRecordMs ?? Infinity,
        (records[0] as SourceRecord).timestampMs,
      ),
    });
  }
}

function partitionOf(engine: PartitionState['engine']): number {
  return engine.format === 3 ? engine.header.partition : engine.partition;
}

function unreadable(where: string, cause: Error): PipelineError {
  const fix =
    cause instanceof StateLayoutError
      ? `to start that metric over, restart once with --reset-state ${cause.metric} (ProcessorOptions.resetMetrics)`
      : 'keep the metric configuration, or delete the row to start over';
  return new PipelineError(
    'CHECKPOINT_UNREADABLE',
    `${where} does not fit the configured metrics: ${cause.message}; ${fix}`,
    false,
    { cause },
  );
}

interface AdmittedBatch<E> {
  readonly events: E[];
  /** The record of each event, by index. */
  readonly sources: SourceRecord[];
  readonly deadLetters: DeadLetter[];
  readonly duplicates: number;
}
