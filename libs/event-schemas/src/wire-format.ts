import type { Type } from 'avsc';
import { DecodeError } from './errors';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro body. */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T; readonly schemaId: number }
  | { readonly ok: false; readonly error: DecodeError };

export type Resolver = ReturnType<Type['createResolver']>;

export function checkHeader(bytes: Buffer | null): DecodeResult<never> | undefined {
  if (!bytes || bytes.length === 0)
    return failed('EMPTY_MESSAGE', 'the message has no value bytes');
  if (bytes[0] !== MAGIC_BYTE)
    return failed('BAD_MAGIC_BYTE', `first byte is ${bytes[0]}, not the Confluent magic byte 0`);
  if (bytes.length < HEADER_BYTES)
    return failed('TRUNCATED_HEADER', `${bytes.length} bytes: too short for the 5-byte header`);
  return undefined;
}

export function decodeBody<T>(
  bytes: Buffer,
  schemaId: number,
  type: Type,
  resolver?: Resolver,
): DecodeResult<T> {
  let result: { value: unknown; offset: number };
  try {
    result = type.decode(bytes, HEADER_BYTES, resolver);
  } catch (cause) {
    return failed(
      'NOT_AVRO',
      `body is not Avro for schema ${schemaId}: ${(cause as Error).message}`,
      schemaId,
      cause,
    );
  }
  if (result.offset === -1)
    return failed(
      'TRUNCATED_BODY',
      `body ends before the record of schema ${schemaId} does`,
      schemaId,
    );
  if (result.offset !== bytes.length) {
    return failed(
      'NOT_AVRO',
      `${bytes.length - result.offset} bytes left over after a record of schema ${schemaId}`,
      schemaId,
    );
  }
  return { ok: true, value: result.value as T, schemaId };
}

function failed(
  code: DecodeError['code'],
  message: string,
  schemaId?: number,
  cause?: unknown,
): DecodeResult<never> {
  return { ok: false, error: new DecodeError(code, message, schemaId, { cause }) };
}
