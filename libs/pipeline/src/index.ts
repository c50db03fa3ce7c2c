export { Aggregator } from './aggregator';
export type {
  AggregatorOptions,
  AggregatorServices,
  AggregatorState,
  StopOutcome,
} from './aggregator';
export { isOwnershipLost, PipelineError } from './errors';
export {
  announceStarted,
  EXIT_OWNERSHIP_LOST,
  exitWithPrimary,
  Members,
  serveAsMember,
} from './members';
export { startOperationsServer } from './operations-server';
export type { OperationsServerOptions } from './operations-server';
export { aggregatorProbes } from './probes';
export type { ProbeTargets } from './probes';
export { checkReadiness } from './readiness';
export type { Probe, Readiness } from './readiness';
export { StreamProcessor } from './stream-processor';
export type {
  BatchOutcome,
  DeadLetter,
  PartitionState,
  ProcessorOptions,
  SavedPartition,
  StreamSpec,
} from './stream-processor';
export { ecommerceStream, gameStream } from './streams';
export { Telemetry } from './telemetry';
export { ProducerTelemetry } from './producer-telemetry';
