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

/**
 * Turns whatever node-postgres threw into a SinkError that says what to do. Branches on codes,
 * never messages.
 */
export function classifyPgError(error: unknown, metric?: string, value?: unknown): SinkError {
  if (error instanceof SinkError) return error;
  const code = String((error as { code?: string })?.code ?? '');
  const message = (error as Error)?.message ?? String(error);
  const kind = kindOf(code, message, metric, value);
  return new SinkError(kind.code, kind.message, kind.retriable, { metric, value, cause: error });
}

interface ErrorKind {
  readonly code: string;
  readonly retriable: boolean;
  readonly message: string;
}

function kindOf(code: string, message: string, metric?: string, value?: unknown): ErrorKind {
  // node-postgres gives a lost connection no code, only this message: the one message we read.
  const connectionLost =
    code === '' && /Connection terminated|timeout exceeded when trying to connect/i.test(message);
  if (NETWORK_CODES.has(code) || RETRIABLE_SQLSTATE.test(code) || connectionLost) {
    return {
      code: 'DATABASE_UNAVAILABLE',
      retriable: true,
      message: `PostgreSQL unavailable (${code || message})`,
    };
  }
  if (code === '28P01' || code === '28000') {
    const text = `PostgreSQL refused the credentials in DATABASE_URL: ${message}`;
    return { code: 'AUTHENTICATION_FAILED', retriable: false, message: text };
  }
  if (code === '42P01' || code === '42703') {
    // e.g. a metric table dropped under a running sink: opening derives it again
    const fix =
      'restart the sink: PostgresSink.open runs the migrations and creates missing metric tables';
    return { code: 'SCHEMA_MISMATCH', retriable: false, message: `${message}: ${fix}` };
  }
  if (code.startsWith('22') || code.startsWith('23')) {
    const what = metric ? `metric ${metric}: ` : '';
    const text = `${what}PostgreSQL rejected ${JSON.stringify(value)}: ${message} (SQLSTATE ${code})`;
    return { code: 'VALUE_REJECTED', retriable: false, message: text };
  }
  return {
    code: 'WRITE_FAILED',
    retriable: false,
    message: `PostgreSQL error ${code || ''}: ${message}`,
  };
}
