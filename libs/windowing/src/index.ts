export * from './aggregators';
export { Deduplicator } from './deduplicator';
export type { DedupeBucket, DedupeChanges, DeduplicatorSnapshot } from './deduplicator';
export { toMillis } from './duration';
export type { Duration, DurationUnit } from './duration';
export { WindowingEngine } from './engine';
export type { EngineOptions, EngineStats } from './engine';
export type {
  LegacySnapshot,
  MetricClock,
  MetricHeader,
  PartitionChanges,
  PartitionHeader,
  PartitionSnapshot,
  StateRow,
} from './partition-state';
export type { RestoreOptions, RestoreReport } from './partition-restore';
export { LAYOUT_VERSION, layoutOf } from './layouts';
export type { LayoutChange, MetricLayout } from './layouts';
export {
  EventError,
  InvalidDurationError,
  InvalidMetricError,
  SnapshotError,
  StateLayoutError,
  WindowingError,
} from './errors';
export type { EventErrorCode } from './errors';
export { metric } from './metric';
export type { GroupKey, KeyValue, Metric, MetricSpec } from './metric';
export { resultId } from './outputs';
export type { EngineOutput, LateEvent, RejectedEvent, Retraction, WindowResult } from './outputs';
export { tumbling } from './fixed-windows';
export type { TumblingWindow } from './fixed-windows';
export { hopping } from './pane-windows';
export type { HoppingWindow } from './pane-windows';
export { session } from './session-windows';
export type { SessionWindow } from './session-windows';
export { windowStarts } from './window-math';
export type { FixedGrid } from './window-math';
export type {
  AddOutcome,
  StoreRow,
  StoreRowChanges,
  WindowBounds,
  WindowSpec,
  WindowStore,
} from './window-store';
export type { Cell, CellCodec, SavedCell } from './cells';
