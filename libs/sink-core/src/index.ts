export { BatchingWriter } from './batching-writer';
export type { BatchLimits } from './batching-writer';
export { RetriesExhaustedError, SinkError } from './errors';
export type { SinkHooks } from './hooks';
export { withRetry } from './retry';
export type { RetryPolicy } from './retry';
