import type { Logger } from 'pino';
import type { AvroSerde } from '@rta/event-schemas';
import { Checkpoint, CheckpointStore, isFencedCheckpoint, ResultSink } from '@rta/sink-core';
import type { RecordSource, SourceRecord, StreamClient, TopicPartition } from '@rta/stream-io';
import { DeadLetterQueue } from '@rta/stream-io';
import { PipelineError } from './errors';
import { PartitionOwnership } from './partition-ownership';
import { checkpointsOf } from './checkpoints';
import { withDeadline } from './deadline';
import { recordBatch, recordPartition, recordState } from './record-telemetry';
import { logRestores } from './restore-log';
import { ResultWriter } from './result-writer';
import { SerialQueue } from './serial-queue';
import { BatchOutcome, ProcessorOptions, StreamProcessor, StreamSpec } from './stream-processor';
import type { Telemetry } from './telemetry';

export interface AggregatorOptions {
  readonly groupId: string;
  // Each stream has its own event type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
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
  private flushDeferred = false;
  private lastCheckpointMs = 0;
  private oldestUnflushedMs = Infinity;
  private current: AggregatorState = 'created';
  private readonly failureListeners: ((error: Error) => void)[] = [];
  private fencedWhileStopping: Error | undefined;
  private failure: Error | undefined;
  private stopped: Promise<StopOutcome> | undefined;
  private readonly ownership: PartitionOwnership;

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
    this.ownership = new PartitionOwnership(services.checkpoints, groupId);
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
    if (this.current === 'failed') {
      // A batch may wait behind a sink write still retrying: leaving the group is bounded too.
      const released = withDeadline(this.release(), timeoutMs, new Error('release timed out'));
      return released.catch(() => undefined).then(() => Promise.reject(this.failure));
    }
    this.stopped ??=
      this.current === 'running' ? this.stopRunning(timeoutMs) : Promise.resolve({ kind: 'clean' });
    return this.stopped;
  }

  private async stopRunning(timeoutMs: number): Promise<StopOutcome> {
    this.current = 'stopping';
    clearInterval(this.timer);
    const timedOut = new PipelineError(
      'SHUTDOWN_TIMEOUT',
      `could not flush and leave the group within ${timeoutMs} ms`,
      false,
    );
    await withDeadline(this.drain(), timeoutMs, timedOut);
    this.current = 'stopped';
    const refusal = this.fencedWhileStopping;
    return refusal ? { kind: 'fenced', refusal } : { kind: 'clean' };
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
      const saved = await this.ownership.take(topic, mine);
      const states = new Map(
        saved.map((c) => [
          c.partition,
          { state: c.engineState, stateRows: c.stateRows, dedupeBuckets: c.dedupeBuckets },
        ]),
      );
      logRestores(this.services.log, topic, processor.assign(mine, states, now));
      for (const c of saved) resume.set(`${topic}:${c.partition}`, c.nextOffset);
      this.services.telemetry.assignedPartitions.inc({ topic }, mine.length);
    }
    this.services.log.info(
      { partitions: partitions.map((p) => `${p.topic}:${p.partition}`), restored: resume.size },
      'partitions assigned',
    );
    return resume;
  }

  private revoke(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      this.ownership.release(topic, partition);
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
    if (this.current !== 'running' || !this.ownership.owns(first.topic, first.partition)) return;
    await this.ownership.checkContinuity(first, (records.at(-1) as SourceRecord).offset);
    const processor = this.processors.get(first.topic) as StreamProcessor<unknown>;
    const outcome = await processor.process(records, Date.now());
    await this.routeOut(outcome);
    recordBatch(this.services.telemetry, first.topic, records.length, outcome);
    const eventTime = processor.maxEventTimeMs(first.partition);
    recordPartition(this.services.telemetry, records, highWatermark, eventTime);
    for (const r of records)
      this.oldestUnflushedMs = Math.min(this.oldestUnflushedMs, r.timestampMs);
  }

  private async routeOut(outcome: BatchOutcome): Promise<void> {
    // Acknowledged before these offsets can be committed: nothing refused is lost.
    if (outcome.deadLetters.length > 0) await this.deadLetters.send(outcome.deadLetters);
    if (outcome.lateLetters.length > 0) await this.lateLetters.send(outcome.lateLetters);
  }

  /**
   * While the previous flush is still being written the next one waits for it, not the batches:
   * results go on coalescing in the engine (fewer rows written per event when the sinks are the
   * slower side, as when draining a backlog), and are flushed as soon as the write lands.
   */
  private scheduleFlush(): void {
    if (this.flushQueued || this.current !== 'running') return;
    if (this.writer.busy) return this.deferFlush();
    this.flushQueued = true;
    void this.guard(() => {
      this.flushQueued = false;
      return this.flush(
        Date.now() - this.lastCheckpointMs >= this.options.checkpointIntervalMs &&
          !this.writer.checkpointInFlight,
      );
    });
  }

  private deferFlush(): void {
    if (this.flushDeferred) return;
    this.flushDeferred = true;
    void this.writer.written().then(() => {
      this.flushDeferred = false;
      this.scheduleFlush();
    });
  }

  /**
   * Hands this flush's results (and, at a checkpoint, the state that covers them) to the writer.
   */
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
    return [...this.processors].flatMap(([topic, processor]) =>
      checkpointsOf(processor, topic, this.options.groupId, this.ownership),
    );
  }
}
