import { SinkError } from '@rta/sink-core';

/** SQLSTATE classes and codes worth retrying: the server is restarting, overloaded or cut off. */
const RETRIABLE_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Turns whatever node-postgres threw into a SinkError that says what to do. Branches on codes, never messages. */
export function classifyPgError(error: unknown, metric?: string, value?: unknown): SinkError {
  if (error instanceof SinkError) return error;
  const code = String((error as { code?: string })?.code ?? '');
  const message = (error as Error)?.message ?? String(error);
  const details = { metric, value, cause: error };
  // node-postgres gives a lost connection no code, only this message: the one message we read.
  const connectionLost =
    code === '' && /Connection terminated|timeout exceeded when trying to connect/i.test(message);
  if (NETWORK_CODES.has(code) || RETRIABLE_SQLSTATE.test(code) || connectionLost) {
    return new SinkError(
      'DATABASE_UNAVAILABLE',
      `PostgreSQL unavailable (${code || message})`,
      true,
      details,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new SinkError(
      'AUTHENTICATION_FAILED',
      `PostgreSQL refused the credentials in DATABASE_URL: ${message}`,
      false,
      details,
    );
  }
  if (code === '42P01' || code === '42703') {
    // e.g. a metric table dropped under a running sink: opening derives it again
    const fix =
      'restart the sink: PostgresSink.open runs the migrations and creates missing metric tables';
    return new SinkError('SCHEMA_MISMATCH', `${message}: ${fix}`, false, details);
  }
  if (code.startsWith('22') || code.startsWith('23')) {
    const what = metric ? `metric ${metric}: ` : '';
    return new SinkError(
      'VALUE_REJECTED',
      `${what}PostgreSQL rejected ${JSON.stringify(value)}: ${message} (SQLSTATE ${code})`,
      false,
      details,
    );
  }
  return new SinkError(
    'WRITE_FAILED',
    `PostgreSQL error ${code || ''}: ${message}`,
    false,
    details,
  );
}
