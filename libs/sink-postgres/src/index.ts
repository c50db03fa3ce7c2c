export { PostgresCheckpointStore } from './checkpoint-store';
export type { PostgresCheckpointStoreOptions } from './checkpoint-store';
export { readCheckpoints } from './checkpoints';
export { claimPartitions, currentEpoch } from './owners';
export { classifyPgError } from './errors';
export { metricTableDdl } from './metric-tables';
export { migrate } from './migrations';
export { readMigrations } from './migration-files';
export type { Migration } from './migration-files';
export { PostgresSink } from './sink';
export type { PostgresSinkOptions, SinkItem } from './sink';
export type {
  DerivedColumn,
  KeyColumn,
  KeyType,
  Ranking,
  Rollup,
  TableSpec,
  ValueColumn,
  ValueType,
} from './table-spec';
