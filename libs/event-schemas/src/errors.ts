/** Base of every error this lib reports. Branch on `code`, never on the message. */
export class EventSchemaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** True when trying again later may succeed (registry down), false when the input is bad. */
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why bytes are not an event (the record's fault: dead-lettered). */
export const BAD_RECORD_CODES = [
  'EMPTY_MESSAGE',
  'BAD_MAGIC_BYTE',
  'TRUNCATED_HEADER',
  'UNKNOWN_SCHEMA_ID',
  'TRUNCATED_BODY',
  'NOT_AVRO',
  'WRONG_SCHEMA',
] as const;

export type DecodeErrorCode = (typeof BAD_RECORD_CODES)[number] | 'REGISTRY_UNAVAILABLE';

/** A dead letter's reason code says the record could not be decoded (rather than was invalid). */
export function isBadRecordCode(code: string): boolean {
  return (BAD_RECORD_CODES as readonly string[]).includes(code);
}

/** Why bytes could not be turned into an event. Only REGISTRY_UNAVAILABLE is retriable. */
export class DecodeError extends EventSchemaError {
  constructor(
    override readonly code: DecodeErrorCode,
    message: string,
    readonly schemaId?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, code === 'REGISTRY_UNAVAILABLE', options);
  }
}

/** An event that does not fit its schema; `paths` names every offending field. */
export class EncodeError extends EventSchemaError {
  constructor(
    readonly schemaId: number,
    readonly paths: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      'INVALID_EVENT',
      `event does not match schema ${schemaId}: invalid ${paths.join(', ') || 'value'}`,
      false,
      options,
    );
  }
}

export type RegistrationErrorCode =
  | 'INCOMPATIBLE_SCHEMA'
  | 'COMPATIBILITY_LEVEL_MISMATCH'
  | 'REGISTRY_UNAVAILABLE'
  | 'REGISTRATION_REFUSED';

export class SchemaRegistrationError extends EventSchemaError {
  constructor(
    override readonly code: RegistrationErrorCode,
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${subject}: ${message}`, code === 'REGISTRY_UNAVAILABLE', options);
  }
}
