import type { Logger } from 'pino';
import type { AvroSerde } from '@rta/event-schemas';
import { Checkpoint, CheckpointStore, isFencedCheckpoint, ResultSink } from '@rta/sink-core';
import type { RecordSource, SourceRecord, StreamClient, TopicPartition } from '@rta/stream-io';
import { DeadLetterQueue } from '@rta/stream-io';
import type { RestoreReport } from '@rta/windowing';
import { PipelineError } from './errors';
import { recordBatch, recordState } from './record-telemetry';
import { ResultWriter } from './result-writer';
import { SerialQueue } from './serial-queue';
import { BatchOutcome, ProcessorOptions, StreamProcessor, StreamSpec } from './stream-processor';
import type { Telemetry } from './telemetry';

export interface AggregatorOptions {
  readonly groupId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each stream has its own event type
  readonly streams: readonly StreamSpec<any>[];
  readonly deadLetterTopic: string;
  readonly lateTopic: string;
  /** How often results are made durable (freshness). */
  readonly flushIntervalMs: number;
  /** How often state and offsets are checkpointed (at a flush): the most a restart replays. */
  readonly checkpointIntervalMs: number;
  readonly sessionTimeoutMs?: number;
  readonly processor: ProcessorOptions;
}

export interface AggregatorServices {
  readonly kafka: StreamClient;
  readonly serde: AvroSerde;
  /** Where results go: each sink takes the metrics it `stores`. */
  readonly sinks: readonly ResultSink[];
  readonly checkpoints: CheckpointStore;
  readonly telemetry: Telemetry;
  readonly log: Logger;
}

export type AggregatorState = 'created' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * How a graceful stop ended. `fenced`: the final checkpoint was refused because another member
 * claimed one of the partitions meanwhile (this one was busy past the rebalance): the new owner
 * resumes from the previous checkpoint and rewrites the results this one wrote since, identically.
 */
export type StopOutcome =
  { readonly kind: 'clean' } | { readonly kind: 'fenced'; readonly refusal: Error };

/**
 * Kafka → decode/validate → windowing → sinks, exactly once. One serial queue orders batches,
 * flushes and rebalances. A flush writes results to every sink; once they are durable, a
 * checkpoint (engine state + offsets, all or nothing) goes to the checkpoint store, then the
 * offsets to Kafka (see ResultWriter). Results are snapshots, so those written past the last
 * checkpoint are rewritten alike by a replay.
 * On any failure the instance stops at once without checkpointing: a restart (here or on another
 * instance) resumes from the last checkpoint and rewrites the same results.
 */
export class Aggregator {
  private readonly processors = new Map<string, StreamProcessor<unknown>>();
  private readonly source: RecordSource;
  private readonly deadLetters: DeadLetterQueue;
  private readonly lateLetters: DeadLetterQueue;
  private readonly queue = new SerialQueue();
  private readonly writer: ResultWriter;
  private timer: NodeJS.Timeout | undefined;
  private flushQueued = false;
  private lastCheckpointMs = 0;
  private oldestUnflushedMs = Infinity;
  private current: AggregatorState = 'created';
  private readonly failureListeners: ((error: Error) => void)[] = [];
  private fencedWhileStopping: Error | undefined;
  private failure: Error | undefined;
  private stopped: Promise<StopOutcome> | undefined;
  /** `topic:partition` this member owns: a stale batch of any other must not create state (or a checkpoint). */
  private readonly owned = new Set<string>();
  /** `topic:partition` → the owner epoch claimed for it: its checkpoints are refused once another member claims it. */
  private readonly epochs = new Map<string, number>();
  /** `topic:partition` → the offset the state has reached: the next batch must start there. */
  private readonly nextOffsets = new Map<string, bigint>();

  constructor(
    private readonly options: AggregatorOptions,
    private readonly services: AggregatorServices,
  ) {
    for (const spec of options.streams)
      this.processors.set(spec.topic, new StreamProcessor(spec, services.serde, options.processor));
    const { groupId, sessionTimeoutMs } = options;
    const topics = [...this.processors.keys()];
    this.source = services.kafka.source({ groupId, topics, sessionTimeoutMs });
    this.deadLetters = new DeadLetterQueue(services.kafka, options.deadLetterTopic);
    this.lateLetters = new DeadLetterQueue(services.kafka, options.lateTopic);
    this.writer = new ResultWriter({
      ...services,
      commitOffsets: (offsets) => this.source.commit(offsets),
      onFailure: (error) => this.fail(error),
    });
  }

  get state(): AggregatorState {
    return this.current;
  }

  /** Ready to do its work: running and a member of the consumer group. */
  get consuming(): boolean {
    return this.current === 'running' && this.source.joined;
  }

  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  async start(): Promise<void> {
    await Promise.all([this.deadLetters.connect(), this.lateLetters.connect()]);
    this.current = 'running';
    this.lastCheckpointMs = Date.now();
    await this.source.start({
      onAssign: (partitions) => this.guard(() => this.assign(partitions)),
      onRevoke: (partitions) =>
        this.guard(async () => {
          await this.writer.idle(); // what is in flight lands before the partitions' new owners build on it
          this.revoke(partitions);
        }),
      onBatch: (records, highWatermark) => this.guard(() => this.batch(records, highWatermark)),
      onCrash: (error, restarting) =>
        restarting
          ? this.services.log.warn({ err: error }, 'Kafka consumer crashed; rejoining')
          : this.fail(error),
    });
    this.timer = setInterval(() => this.scheduleFlush(), this.options.flushIntervalMs);
  }

  /**
   * Stops fetching, makes everything durable (results, checkpoint, offsets), leaves the group.
   * After a failure it only leaves the group and disconnects (nothing may be checkpointed), then
   * rejects with the failure.
   */
  stop(timeoutMs: number): Promise<StopOutcome> {
    if (this.current === 'failed') return this.release().then(() => Promise.reject(this.failure));
    this.stopped ??=
      this.current === 'running' ? this.stopRunning(timeoutMs) : Promise.resolve({ kind: 'clean' });
    return this.stopped;
  }

  private async stopRunning(timeoutMs: number): Promise<StopOutcome> {
    this.current = 'stopping';
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(
        () =>
          reject(
            new PipelineError(
              'SHUTDOWN_TIMEOUT',
              `could not flush and leave the group within ${timeoutMs} ms`,
              false,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.drain(), expired]);
      this.current = 'stopped';
      return this.fencedWhileStopping
        ? { kind: 'fenced', refusal: this.fencedWhileStopping }
        : { kind: 'clean' };
    } finally {
      clearTimeout(timeout);
    }
  }

  private async drain(): Promise<void> {
    await this.queue.run(() => this.flush(true));
    await this.writer.idle();
    await this.source.stop();
    await Promise.all([this.deadLetters.disconnect(), this.lateLetters.disconnect()]);
  }

  private async release(): Promise<void> {
    await this.source.stop().catch(() => undefined);
    await Promise.all([this.deadLetters.disconnect(), this.lateLetters.disconnect()]).catch(
      () => undefined,
    );
  }

  /** Runs work in order; after a failure nothing else runs (no checkpoint may follow a failure). */
  private guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    return this.queue.run(async () => {
      if (this.current === 'failed') return undefined;
      try {
        return await work();
      } catch (error) {
        this.fail(error as Error);
        return undefined;
      }
    });
  }

  private fail(error: Error): void {
    if (this.current === 'failed') return;
    if (this.current === 'stopping' && isFencedCheckpoint(error)) {
      this.fencedWhileStopping = error; // the writer writes nothing more; the stop still leaves the group
      return;
    }
    this.failure = error;
    this.current = 'failed';
    clearInterval(this.timer);
    for (const listener of this.failureListeners) listener(error);
  }

  private async assign(partitions: readonly TopicPartition[]): Promise<Map<string, string>> {
    const resume = new Map<string, string>();
    const now = Date.now();
    for (const [topic, processor] of this.processors) {
      const mine = partitions.filter((p) => p.topic === topic).map((p) => p.partition);
      if (mine.length === 0) continue;
      const store = this.services.checkpoints;
      const epochs = await store.claim(this.options.groupId, topic, mine); // before reading: see CheckpointStore
      const saved = await store.read(this.options.groupId, topic, mine);
      const states = new Map(
        saved.map((c) => [
          c.partition,
          { state: c.engineState, stateRows: c.stateRows, dedupeBuckets: c.dedupeBuckets },
        ]),
      );
      this.logRestores(topic, processor.assign(mine, states, now));
      for (const c of saved) resume.set(`${topic}:${c.partition}`, c.nextOffset);
      for (const c of saved) this.nextOffsets.set(`${topic}:${c.partition}`, BigInt(c.nextOffset));
      for (const [partition, epoch] of epochs) this.epochs.set(`${topic}:${partition}`, epoch);
      for (const partition of mine) this.owned.add(`${topic}:${partition}`);
      this.services.telemetry.assignedPartitions.inc({ topic }, mine.length);
    }
    this.services.log.info(
      { partitions: partitions.map((p) => `${p.topic}:${p.partition}`), restored: resume.size },
      'partitions assigned',
    );
    return resume;
  }

  /** A restore that did more than load state as saved (a metric added, reset, changed or dropped) is worth a line. */
  private logRestores(topic: string, reports: readonly RestoreReport[]): void {
    for (const r of reports) {
      if (r.started.length + r.changed.length + r.dropped.length === 0) continue;
      const startedNote =
        r.started.length > 0
          ? `; started over: windows starting at or before ${new Date(r.reportsAfterMs ?? 0).toISOString()} are not reported`
          : '';
      this.services.log.warn(
        {
          topic,
          partition: r.partition,
          started: r.started,
          changed: r.changed,
          dropped: r.dropped,
        },
        `saved state adapted to the configured metrics${startedNote}`,
      );
    }
  }

  private revoke(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      this.owned.delete(`${topic}:${partition}`);
      this.epochs.delete(`${topic}:${partition}`);
      this.nextOffsets.delete(`${topic}:${partition}`);
      this.processors.get(topic)?.release(partition);
      this.services.telemetry.assignedPartitions.dec({ topic });
      this.services.telemetry.consumerLag.remove({ topic, partition: String(partition) });
    }
    this.services.log.info(
      { partitions: partitions.map((p) => `${p.topic}:${p.partition}`) },
      'partitions revoked (their state moves with the checkpoint)',
    );
  }

  private async batch(records: readonly SourceRecord[], highWatermark: string): Promise<void> {
    const first = records[0] as SourceRecord;
    if (this.current !== 'running' || !this.owned.has(`${first.topic}:${first.partition}`)) return;
    await this.checkContinuity(first, (records.at(-1) as SourceRecord).offset);
    const processor = this.processors.get(first.topic) as StreamProcessor<unknown>;
    const outcome = await processor.process(records, Date.now());
    await this.routeOut(outcome);
    recordBatch(this.services.telemetry, first.topic, records.length, outcome);
    const labels = { topic: first.topic, partition: String(first.partition) };
    this.services.telemetry.consumerLag.set(
      labels,
      Number(BigInt(highWatermark) - BigInt((records.at(-1) as SourceRecord).offset) - 1n),
    );
    const eventTime = processor.maxEventTimeMs(first.partition);
    if (eventTime !== undefined && Number.isFinite(eventTime))
      this.services.telemetry.partitionEventTime.set(labels, eventTime / 1000);
    for (const r of records)
      this.oldestUnflushedMs = Math.min(this.oldestUnflushedMs, r.timestampMs);
  }

  /**
   * A batch that does not start where the state ended skipped records: the consumer was sent to
   * another offset (after a pause past the session timeout, kafkajs rejoins at the group's
   * committed offset, which the partition's new owner has moved). Such state must not produce a
   * single result. A gap is also left by transaction markers, so the owner epoch decides.
   */
  private async checkContinuity(first: SourceRecord, lastOffset: string): Promise<void> {
    const key = `${first.topic}:${first.partition}`;
    const expected = this.nextOffsets.get(key);
    this.nextOffsets.set(key, BigInt(lastOffset) + 1n);
    if (expected === undefined || BigInt(first.offset) <= expected) return;
    const epoch = await this.services.checkpoints.currentEpoch(
      this.options.groupId,
      first.topic,
      first.partition,
    );
    if (epoch === this.epochs.get(key)) return;
    throw new PipelineError(
      'PARTITION_LOST',
      `${key} moved to another member (owner epoch ${String(epoch)}, ours ${String(this.epochs.get(key))}) while this one was not looking: its records jump from offset ${expected} to ${first.offset}; stopping so that no result comes from that state (restart to rejoin)`,
      false,
    );
  }

  private async routeOut(outcome: BatchOutcome): Promise<void> {
    // Acknowledged before these offsets can be committed: nothing refused is lost.
    if (outcome.deadLetters.length > 0) await this.deadLetters.send(outcome.deadLetters);
    if (outcome.lateLetters.length > 0) await this.lateLetters.send(outcome.lateLetters);
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    void this.guard(() => {
      this.flushQueued = false;
      return this.flush(
        Date.now() - this.lastCheckpointMs >= this.options.checkpointIntervalMs &&
          !this.writer.checkpointInFlight,
      );
    });
  }

  /** Hands this flush's results (and, at a checkpoint, the state that covers them) to the writer. */
  private async flush(checkpoint: boolean): Promise<void> {
    const now = Date.now();
    const items = [...this.processors.values()].flatMap((p) => p.collect(now));
    const checkpoints = checkpoint ? this.takeCheckpoints() : [];
    if (checkpoint) this.lastCheckpointMs = now;
    const oldest = this.oldestUnflushedMs;
    this.oldestUnflushedMs = Infinity;
    await this.writer.submit(items, checkpoints, oldest);
    recordState(this.services.telemetry, this.processors, now);
  }

  /** State captured now, with the offsets it covers: consistent with the results just collected. */
  private takeCheckpoints(): Checkpoint[] {
    const checkpoints: Checkpoint[] = [];
    for (const [topic, processor] of this.processors) {
      for (const p of processor.takeProgress()) {
        const { state, stateChanges, dedupeIds } = processor.checkpointOf(p.partition);
        const ownerEpoch = this.epochs.get(`${topic}:${p.partition}`) as number; // progress exists only for owned partitions
        checkpoints.push({
          consumerGroup: this.options.groupId,
          topic,
          partition: p.partition,
          nextOffset: p.nextOffset,
          engineState: state,
          stateChanges,
          dedupeIds,
          ownerEpoch,
        });
      }
    }
    return checkpoints;
  }
}
