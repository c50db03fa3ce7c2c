/** Helpers for other projects' tests: `import { readRecords } from '@rta/stream-io/testing'`. */
export { readRecords } from './read-records';
export type { ReadOptions } from './read-records';
