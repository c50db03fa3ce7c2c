import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * What a producer (the simulator) exposes on /metrics: seed 003's producer metrics, named our way.
 */
export class ProducerTelemetry {
  readonly registry = new Registry();
  readonly produced = new Counter({
    name: 'rta_events_produced_total',
    help: 'Messages acknowledged by Kafka, per scenario',
    labelNames: ['scenario'],
    registers: [this.registry],
  });
  readonly failed = new Counter({
    name: 'rta_events_failed_total',
    help: 'Messages Kafka did not acknowledge, per scenario',
    labelNames: ['scenario'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'rta_produce_latency_seconds',
    help: 'Time for one produce request to be acknowledged',
    labelNames: ['scenario'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'rta_produce_batch_size',
    help: 'Messages per produce request',
    labelNames: ['scenario'],
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rta_simulator_' });
  }
}
