import { errors } from '@elastic/elasticsearch';
import { SinkError } from '@rta/sink-core';

const RETRIABLE_STATUS = new Set([408, 429, 502, 503, 504]);

/**
 * Transport-level failures: the node is down, restarting or overloaded (retry), or refuses us (do
 * not).
 */
export function classifyTransportError(error: unknown): SinkError {
  if (error instanceof SinkError) return error;
  const unreachable =
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError;
  if (unreachable) {
    const message = `Elasticsearch unreachable (${(error as Error).name})`;
    return new SinkError('ELASTICSEARCH_UNAVAILABLE', message, true, { cause: error });
  }
  if (error instanceof errors.ResponseError) return classifyResponse(error);
  const message = `Elasticsearch write failed: ${(error as Error)?.message ?? String(error)}`;
  return new SinkError('WRITE_FAILED', message, false, { cause: error });
}

function classifyResponse(error: InstanceType<typeof errors.ResponseError>): SinkError {
  const status = error.statusCode ?? 0;
  const details = { cause: error };
  if (RETRIABLE_STATUS.has(status)) {
    return new SinkError(
      'ELASTICSEARCH_UNAVAILABLE',
      `Elasticsearch answered ${status}`,
      true,
      details,
    );
  }
  if (status === 401 || status === 403) {
    const message = `Elasticsearch refused the credentials (${status})`;
    return new SinkError('AUTHENTICATION_FAILED', message, false, details);
  }
  const message = `Elasticsearch rejected the request (${status}): ${error.message}`;
  return new SinkError('REQUEST_REJECTED', message, false, details);
}

export interface BulkItemError {
  readonly status: number;
  readonly type?: string;
  readonly reason?: string;
}

/**
 * One item of a bulk response: ok, stale (a newer version is stored), retry later, or rejected for
 * good.
 */
export function classifyBulkItem(
  item: BulkItemError,
  metric: string,
  value: unknown,
  isDelete = false,
): 'ok' | 'stale' | 'retry' | SinkError {
  if (item.status < 300 || (isDelete && item.status === 404)) return 'ok'; // 404 is fine only for deleting what is not there
  if (item.status === 409) return 'stale';
  if (RETRIABLE_STATUS.has(item.status) || item.type === 'es_rejected_execution_exception')
    return 'retry';
  const code = /mapper|mapping|pars|strict_dynamic/.test(item.type ?? '')
    ? 'MAPPING_CONFLICT'
    : 'DOCUMENT_REJECTED';
  return new SinkError(
    code,
    `metric ${metric}: Elasticsearch rejected ${JSON.stringify(value)}: ${item.type}: ${item.reason}`,
    false,
    { metric, value },
  );
}
