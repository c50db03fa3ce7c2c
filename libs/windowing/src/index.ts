export { toMillis } from './duration';
export type { Duration, DurationUnit } from './duration';
export { InvalidDurationError, WindowingError } from './errors';
