import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AvroSerde } from '@rta/event-schemas';
import { createStreamClient, partitionKey } from '@rta/stream-io';
import type { RecordSource, SourceRecord, StreamClient, TopicPartition } from '@rta/stream-io';
import type { TailConfig } from './config';
import { EventDecoder, matches, undecodable } from './events';
import { formatJson, formatLine } from './format';

export interface TailOutput {
  /** One printed event (stdout: pipe it to grep or jq). */
  readonly event: (line: string) => void;
  /** Status and undecodable records (stderr: never mixed into the events). */
  readonly notice: (line: string) => void;
}

/**
 * A live console over one topic. It reads as the only member of a consumer group of its own and
 * never commits, so it takes no partitions from the aggregator and leaves no offsets behind; it
 * positions itself (the oldest offsets, or those of its start) instead of relying on a committed
 * one.
 */
export class Tail {
  readonly groupId = `rta-tail-${randomBytes(4).toString('hex')}`;
  private readonly kafka: StreamClient;
  private readonly decoder: EventDecoder;
  private readonly aborted = new AbortController();
  /** Next offset per partition: a rejoin resumes there instead of replaying or skipping. */
  private readonly next = new Map<string, string>();
  private source: RecordSource | undefined;
  private stopping: Promise<void> | undefined;
  /** Filled once the topic is found (see startingOffsets). */
  private start = new Map<string, string>();
  private from = '';
  private announced = false;
  private count = 0;
  private readonly settled: {
    promise: Promise<void>;
    resolve: () => void;
    reject: (error: unknown) => void;
  };

  constructor(
    private readonly config: TailConfig,
    private readonly out: TailOutput,
  ) {
    const { endpoints, credentials } = config;
    this.kafka = createStreamClient({
      brokers: endpoints.kafkaBrokers,
      clientId: 'rta-tail',
      tls: credentials.kafkaTls,
      sasl: credentials.kafkaSasl,
    });
    this.decoder = new EventDecoder(
      AvroSerde.forUrl(endpoints.schemaRegistryUrl, credentials.registryAuth),
    );
    this.settled = deferred();
  }

  /** Events printed so far. */
  get printed(): number {
    return this.count;
  }

  /** Runs until `stop()` or `--max`; rejects when Kafka fails for good. */
  async run(): Promise<void> {
    const { topic, fromBeginning } = this.config;
    const start = await startingOffsets(
      this.kafka,
      topic,
      fromBeginning,
      this.aborted.signal,
      this.out.notice,
    );
    if (start && !this.stopping) {
      this.start = start.offsets;
      this.from = start.from;
      this.source = this.kafka.source({ groupId: this.groupId, topics: [topic], fromBeginning });
      await this.source
        .start({
          onAssign: async (partitions) => this.positions(partitions),
          onRevoke: async () => undefined,
          onBatch: (records) => this.print(records),
          onCrash: (error, restarting) => (restarting ? undefined : this.settled.reject(error)),
        })
        .catch((error: unknown) => (this.stopping ? undefined : Promise.reject(error))); // a stop during the join is no failure
    }
    return this.settled.promise;
  }

  /**
   * Leaves the group and disconnects; idempotent. Nothing to commit: the tail keeps no position.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.aborted.abort();
      try {
        await this.source?.stop();
        this.settled.resolve();
      } catch (error) {
        this.settled.reject(error);
      }
    })();
    return this.stopping;
  }

  /**
   * Where each newly assigned partition starts: where this tail left it (a rejoin), else the
   * offsets taken when the tail started, so the group join's seconds lose no new event.
   */
  private positions(partitions: readonly TopicPartition[]): ReadonlyMap<string, string> {
    if (!this.announced) {
      this.announced = true;
      this.out.notice(
        `[tail] ${this.config.topic}: ${this.start.size} partitions, ${this.from}; group ${this.groupId} (commits nothing); Ctrl-C stops`,
      );
    }
    // A partition added since the start holds only new events: from its first offset.
    return new Map(
      partitions
        .map((p) => partitionKey(p))
        .map((key) => [key, this.next.get(key) ?? this.start.get(key) ?? '0']),
    );
  }

  /** Decodes, filters and prints one partition's records in offset order. */
  private async print(records: readonly SourceRecord[]): Promise<void> {
    for (const record of records) {
      if (this.done()) return;
      this.next.set(partitionKey(record), (BigInt(record.offset) + 1n).toString());
      const decoded = await this.decoder.decode(record.value);
      if (!decoded.ok) {
        this.out.notice(undecodable(record.partition, record.offset, decoded.error));
        continue;
      }
      if (!matches(decoded.value, this.config.filter)) continue;
      this.out.event(this.config.json ? formatJson(decoded.value) : formatLine(decoded.value));
      this.count += 1;
      // Disconnecting waits for this batch handler to return, so the stop starts outside it.
      if (this.done()) setImmediate(() => void this.stop());
    }
  }

  private done(): boolean {
    return (
      this.stopping !== undefined ||
      (this.config.max !== undefined && this.count >= this.config.max)
    );
  }
}

/**
 * A promise settled from outside; a failure before anyone awaits it is not an unhandled rejection
 * (run() returns it).
 */
function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
} {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Each partition's first offset to print (`topic:partition` → offset), taken once the topic
 * exists. A tail may start before the simulator creates its topic: it waits (saying so once),
 * and then every event in the topic is newer than the tail, so it starts at the oldest offsets.
 * Undefined when stopped while waiting.
 */
async function startingOffsets(
  kafka: StreamClient,
  topic: string,
  fromBeginning: boolean,
  signal: AbortSignal,
  notice: (line: string) => void,
): Promise<{ offsets: Map<string, string>; from: string } | undefined> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    let waited = false;
    while (!(await admin.listTopics()).includes(topic)) {
      if (signal.aborted) return undefined;
      if (!waited)
        notice(`[tail] topic ${topic} does not exist yet; waiting for it (Ctrl-C stops)`);
      waited = true;
      await sleep(500, undefined, { signal }).catch(() => undefined);
    }
    const oldest = fromBeginning || waited;
    const offsets = await admin.topicOffsets(topic);
    const from = fromBeginning
      ? 'from the oldest retained event'
      : waited
        ? 'new topic, from its first event'
        : 'new events only';
    return {
      offsets: new Map(
        offsets.map((o) => [
          partitionKey({ topic, partition: o.partition }),
          oldest ? o.low : o.high,
        ]),
      ),
      from,
    };
  } finally {
    await admin.disconnect();
  }
}
