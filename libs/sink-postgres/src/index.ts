export { readCheckpoints } from './checkpoints';
export { claimPartitions, currentEpoch, isFencedCheckpoint } from './owners';
export type { Checkpoint, SavedCheckpoint } from './checkpoints';
export { classifyPgError } from './errors';
export { migrate, readMigrations } from './migrations';
export type { Migration } from './migrations';
export { PostgresSink } from './sink';
export type { PostgresSinkOptions, SinkItem } from './sink';
export type { KeyType, TableSpec, ValueType } from './table-spec';
