import type { Logger } from 'pino';
import type { Checkpoint, CheckpointStore, ResultSink, SinkItem } from '@rta/sink-core';
import type { TopicPartition } from '@rta/stream-io';
import type { Telemetry } from './telemetry';

export interface ResultWriterOptions {
  readonly sinks: readonly ResultSink[];
  readonly checkpoints: CheckpointStore;
  readonly telemetry: Telemetry;
  readonly log: Logger;
  readonly commitOffsets: (
    offsets: readonly (TopicPartition & { readonly offset: string })[],
  ) => Promise<void>;
  /** A write failed: nothing after it may be written (no checkpoint may follow a failure). */
  readonly onFailure: (error: Error) => void;
}

/**
 * Makes one flush durable in the background while the next batches are processed: results to
 * every sink side by side, then (only once all hold) the checkpoints that cover them, then the
 * offsets to Kafka. One flush's results in flight at a time, in order; a
 * checkpoint is written beside the next flushes' results, so its cost does not delay them (results
 * ahead of the last checkpoint are what any crash leaves; the replay rewrites them alike).
 */
export class ResultWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private writing = false;
  private checkpointing: Promise<void> = Promise.resolve();
  private checkpointsPending = 0;
  private failed = false;

  constructor(private readonly options: ResultWriterOptions) {}

  /**
   * Waits for the previous flush (backpressure), then starts writing this one; false once a write
   * failed.
   */
  async submit(
    items: readonly SinkItem[],
    checkpoints: readonly Checkpoint[],
    oldestRecordMs: number,
  ): Promise<boolean> {
    await this.inFlight;
    if (this.failed) return false;
    this.writing = true;
    this.inFlight = this.persist(items, checkpoints, oldestRecordMs)
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.writing = false));
    return true;
  }

  /** A flush's results are still being written: a submit now would wait for them. */
  get busy(): boolean {
    return this.writing;
  }

  /** Resolves once the results in flight are written (or failed); checkpoints may still be. */
  async written(): Promise<void> {
    await this.inFlight;
  }

  /** A checkpoint is still being written: the next one waits for a later flush. */
  get checkpointInFlight(): boolean {
    return this.checkpointsPending > 0;
  }

  /** Resolves when everything submitted is durable (or failed). */
  async idle(): Promise<void> {
    await this.inFlight;
    await this.checkpointing;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onFailure(error as Error);
  }

  private async persist(
    items: readonly SinkItem[],
    checkpoints: readonly Checkpoint[],
    oldestRecordMs: number,
  ): Promise<void> {
    const o = this.options;
    await Promise.all(
      o.sinks.map((sink) =>
        this.timed(
          sink,
          items.filter((i) => sink.stores(i.metric)),
        ),
      ),
    );
    if (Number.isFinite(oldestRecordMs))
      o.telemetry.freshness.observe((Date.now() - oldestRecordMs) / 1000);
    if (checkpoints.length > 0) this.startCheckpoint(checkpoints);
  }

  /** After the results it covers are durable, and after the checkpoints before it. */
  private startCheckpoint(checkpoints: readonly Checkpoint[]): void {
    const previous = this.checkpointing;
    this.checkpointsPending += 1;
    this.checkpointing = (async () => {
      await previous;
      if (!this.failed) await this.checkpoint(checkpoints);
    })()
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.checkpointsPending -= 1));
  }

  /** State + offsets in the checkpoint store (all or nothing), then the offsets in Kafka. */
  private async checkpoint(checkpoints: readonly Checkpoint[]): Promise<void> {
    const stop = this.options.telemetry.sinkLatency.startTimer({ sink: 'checkpoint' });
    await this.options.checkpoints.write(checkpoints);
    stop();
    this.options.telemetry.checkpoints.inc();
    // A failed commit is harmless: the checkpoint in PostgreSQL is what a new owner resumes from.
    await this.options
      .commitOffsets(
        checkpoints.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.nextOffset })),
      )
      .catch((error: unknown) => {
        this.options.log.warn(
          { err: error },
          'Kafka offset commit failed (the stored checkpoint stands)',
        );
      });
  }

  private async timed(sink: ResultSink, items: readonly SinkItem[]): Promise<void> {
    if (items.length === 0) return;
    const stop = this.options.telemetry.sinkLatency.startTimer({ sink: sink.name });
    await sink.write(items);
    await sink.flush();
    stop();
    this.options.telemetry.resultsWritten.inc({ sink: sink.name }, items.length);
  }
}
