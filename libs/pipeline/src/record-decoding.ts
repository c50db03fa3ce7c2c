import type { Type } from 'avsc';
import type { AvroSerde, DecodeResult } from '@rta/event-schemas';
import type { SourceRecord } from '@rta/stream-io';
import { PipelineError } from './errors';
import type { DeadLetter } from './processor-types';

/**
 * The record's event, or undefined once it is dead-lettered. Synchronous once the writer schema
 * is known (almost always): no promise per record.
 */
export function decodeRecord<E>(
  serde: AvroSerde,
  readerType: Type,
  record: SourceRecord,
  deadLetters: DeadLetter[],
): E | undefined | Promise<E | undefined> {
  const known = serde.decodeKnown<E>(record.value, readerType);
  if (known) return decoded(record, known, deadLetters);
  return serde
    .decode<E>(record.value, readerType)
    .then((result) => decoded(record, result, deadLetters));
}

function decoded<E>(
  record: SourceRecord,
  result: DecodeResult<E>,
  deadLetters: DeadLetter[],
): E | undefined {
  if (result.ok) return result.value;
  if (result.error.code === 'REGISTRY_UNAVAILABLE') {
    // Not the record's fault: stop rather than dead-letter good data (a restart resumes from the checkpoint).
    const where = `${record.topic}:${record.partition}@${record.offset}`;
    throw new PipelineError(
      'REGISTRY_UNAVAILABLE',
      `schema registry unavailable while decoding ${where}: ${result.error.message}`,
      true,
      { cause: result.error },
    );
  }
  deadLetters.push({ record, reason: { code: result.error.code, message: result.error.message } });
  return undefined;
}
