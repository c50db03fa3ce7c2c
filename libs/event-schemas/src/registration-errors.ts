import type { COMPATIBILITY } from '@kafkajs/confluent-schema-registry';
import { SchemaRegistrationError } from './errors';

const NETWORK_FAILURE =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b|socket hang up/;

/** What a refused or failed registration means, and what to do about it. */
export function registrationError(
  subject: string,
  compatibility: COMPATIBILITY,
  cause: unknown,
): SchemaRegistrationError {
  const error = cause as { name?: string; status?: number; message?: string };
  if (error.status === 409) {
    const message =
      `the new schema is not ${compatibility} compatible with the registered versions; ` +
      `add fields with defaults instead of removing or retyping them (registry said: ${error.message})`;
    return new SchemaRegistrationError('INCOMPATIBLE_SCHEMA', subject, message, { cause });
  }
  if (error.name === 'ConfluentSchemaRegistryCompatibilityError') {
    const message =
      `the subject is configured with another compatibility level than ${compatibility} (${error.message}); ` +
      'align the level (PUT /config/<subject>) or register with the configured one';
    return new SchemaRegistrationError('COMPATIBILITY_LEVEL_MISMATCH', subject, message, { cause });
  }
  const fromRegistryClient = error.name?.startsWith('ConfluentSchemaRegistry') === true;
  // The registry client reports a connection failure as a status 400 with the socket error as its message.
  const networkFailure = NETWORK_FAILURE.test(error.message ?? '');
  if (
    networkFailure ||
    (!fromRegistryClient && (error.status === undefined || error.status >= 500))
  ) {
    return new SchemaRegistrationError(
      'REGISTRY_UNAVAILABLE',
      subject,
      `registry unreachable: ${error.message}`,
      { cause },
    );
  }
  return new SchemaRegistrationError(
    'REGISTRATION_REFUSED',
    subject,
    `registry refused the schema: ${error.message}`,
    { cause },
  );
}
