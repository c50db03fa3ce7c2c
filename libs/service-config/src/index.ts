export { DEFAULT_ENDPOINTS, loadServiceEndpoints, redact } from './endpoints';
export type { ServiceEndpoints } from './endpoints';
export { ServiceConfigError } from './errors';
export { describeCredentials, loadServiceCredentials } from './credentials';
export type { ServiceCredentials } from './credentials';
export { flag, flagProblems, withUsageErrors } from './cli';
