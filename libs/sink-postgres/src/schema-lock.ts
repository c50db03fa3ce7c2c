import type { Pool, PoolClient } from 'pg';
import { connectClient } from './client';

/** Any constant: every instance takes the same advisory lock, so schema changes run once. */
const SCHEMA_LOCK = 7_404_201;

/**
 * Runs `work` on one client holding a session advisory lock: instances starting together change
 * the schema one after the other, and each sees what the one before it did.
 */
export async function withSchemaLock<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await connectClient(pool);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await work(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    client.release();
  }
}
