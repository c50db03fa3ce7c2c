import { Pool, PoolConfig } from 'pg';
import {
  Checkpoint,
  CheckpointStore,
  RetryPolicy,
  SavedCheckpoint,
  withRetry,
} from '@rta/sink-core';
import { readCheckpoints, writeCheckpoints } from './checkpoints';
import { inTransaction } from './client';
import { migrate } from './migrations';
import { claimPartitions, currentEpoch } from './owners';

export interface PostgresCheckpointStoreOptions {
  /**
   * node-postgres pool settings: connectionString (DATABASE_URL, may carry sslmode), ssl { ca },
   * max.
   */
  readonly connection: PoolConfig;
  readonly retry?: RetryPolicy;
}

/**
 * Checkpoints in PostgreSQL (tables stream_checkpoints, engine_cells, dedupe_ids,
 * partition_owners): each write one transaction, fenced by owner epoch.
 */
export class PostgresCheckpointStore implements CheckpointStore {
  readonly name = 'checkpoints';

  private constructor(
    private readonly pool: Pool,
    private readonly retry: RetryPolicy | undefined,
  ) {}

  /** Connects and applies pending migrations (safe with several instances starting together). */
  static async open(options: PostgresCheckpointStoreOptions): Promise<PostgresCheckpointStore> {
    const pool = new Pool({ max: 2, connectionTimeoutMillis: 5_000, ...options.connection });
    pool.on('error', () => undefined); // an idle client lost: the next query reconnects
    try {
      await withRetry(() => migrate(pool), options.retry);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresCheckpointStore(pool, options.retry);
  }

  claim(
    consumerGroup: string,
    topic: string,
    partitions: readonly number[],
  ): Promise<Map<number, number>> {
    return claimPartitions(this.pool, consumerGroup, topic, partitions);
  }

  currentEpoch(
    consumerGroup: string,
    topic: string,
    partition: number,
  ): Promise<number | undefined> {
    return currentEpoch(this.pool, consumerGroup, topic, partition);
  }

  read(
    consumerGroup: string,
    topic: string,
    partitions?: readonly number[],
  ): Promise<SavedCheckpoint[]> {
    return readCheckpoints(this.pool, consumerGroup, topic, partitions);
  }

  /** One transaction, retried as a whole on transient failures (a fenced one is not retried). */
  write(checkpoints: readonly Checkpoint[]): Promise<void> {
    if (checkpoints.length === 0) return Promise.resolve();
    return withRetry(
      () => inTransaction(this.pool, (client) => writeCheckpoints(client, checkpoints)),
      this.retry,
    );
  }

  async check(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /** For reading state back (tests, tools). */
  get database(): Pool {
    return this.pool;
  }
}
