import {
  Aggregator,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

/**
 * The aggregator's Prometheus instruments, in a registry of its own (several aggregators may
 * live in one process, e.g. in tests). Names follow Prometheus conventions: `_total` counters,
 * base units (seconds).
 */
export class Telemetry {
  readonly registry = new Registry();
  readonly eventsIn = this.counter('rta_events_in_total', 'Records consumed, per topic', ['topic']);
  readonly eventsAccepted = this.counter(
    'rta_events_accepted_total',
    'Events decoded, valid and new, fed to the windowing engine',
    ['topic'],
  );
  readonly eventsByType = this.counter(
    'rta_events_by_type_total',
    'Accepted events per event type',
    ['topic', 'event_type'],
  );
  readonly decodeFailures = this.counter(
    'rta_decode_failures_total',
    'Records that could not be decoded, per reason',
    ['topic', 'code'],
  );
  readonly invalidEvents = this.counter(
    'rta_invalid_events_total',
    'Decoded events refused by validation or by a metric, per reason',
    ['topic', 'code'],
  );
  readonly deadLettered = this.counter(
    'rta_dead_lettered_total',
    'Records sent to the dead-letter topic, per reason',
    ['topic', 'code'],
  );
  readonly lateEvents = this.counter(
    'rta_late_events_total',
    'Events past a window deadline, per metric',
    ['metric'],
  );
  readonly duplicates = this.counter('rta_duplicate_events_total', 'Repeated event ids dropped', [
    'topic',
  ]);
  readonly resultsWritten = this.counter(
    'rta_results_written_total',
    'Window results and retractions made durable, per sink',
    ['sink'],
  );
  readonly checkpoints = this.counter(
    'rta_checkpoints_total',
    'Checkpoints committed (state + offsets)',
    [],
  );
  readonly consumerLag = this.gauge('rta_consumer_lag', 'Records behind the partition end', [
    'topic',
    'partition',
  ]);
  // Merged over members (several processes of one aggregator) by max / min rather than summed.
  readonly partitionEventTime = this.gauge(
    'rta_partition_event_time_seconds',
    'Largest event time seen per partition (its watermark is this minus the metric delay)',
    ['topic', 'partition'],
    'max',
  );
  readonly watermark = this.gauge(
    'rta_watermark_seconds',
    'Event-time watermark per metric (minimum over the owned partitions)',
    ['metric'],
    'min',
  );
  readonly watermarkDelay = this.gauge(
    'rta_watermark_delay_seconds',
    'Processing time minus the metric watermark',
    ['metric'],
    'max',
  );
  readonly assignedPartitions = this.gauge(
    'rta_assigned_partitions',
    'Input partitions this instance owns',
    ['topic'],
  );
  readonly openWindows = this.gauge('rta_open_windows', 'Open (window, key) cells held in memory', [
    'topic',
  ]);
  readonly rememberedIds = this.gauge(
    'rta_dedupe_ids',
    'Event ids remembered to drop repeats (within --dedupe-horizon of event time)',
    ['topic'],
  );
  readonly sinkLatency = new Histogram({
    name: 'rta_sink_write_seconds',
    help: 'Time to make one flush durable, per sink',
    labelNames: ['sink'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'rta_batch_size_records',
    help: 'Records per consumed batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });
  readonly freshness = new Histogram({
    name: 'rta_freshness_seconds',
    help: 'From a record entering Kafka to its results being durable (oldest record of each flush)',
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rta_aggregator_' });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    aggregator: Aggregator = 'sum',
  ): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], aggregator });
  }
}
