import type { Pool, PoolClient } from 'pg';
import { classifyPgError } from './errors';

const ignore = () => undefined;

/**
 * A checked-out client whose connection drops between two queries emits 'error' with nobody
 * listening, which would crash the process: the next query fails (and is retried) instead.
 * The listener is added once per pooled client, not once per checkout.
 */
export async function connectClient(pool: Pool): Promise<PoolClient> {
  const client = await pool
    .connect()
    .catch((error: unknown) => Promise.reject(classifyPgError(error)));
  if (!client.listeners('error').includes(ignore)) client.on('error', ignore);
  return client;
}

/** Runs `work` in one transaction on a checked-out client; errors come back classified. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await connectClient(pool);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw classifyPgError(error);
  } finally {
    client.release();
  }
}
