import { Pool, PoolClient, PoolConfig } from 'pg';
import {
  BatchingWriter,
  BatchLimits,
  ResultSink,
  RetryPolicy,
  SinkError,
  SinkHooks,
  SinkItem,
  withRetry,
} from '@rta/sink-core';
import type { Retraction, WindowResult } from '@rta/windowing';
import { inTransaction } from './client';
import { classifyPgError } from './errors';
import { evolveTables } from './evolve-tables';
import { applyMigrations } from './migrations';
import { deleteParams, hasKeys, upsertParams } from './rows';
import { withSchemaLock } from './schema-lock';
import type { TableSpec } from './table-spec';
import { validateSpecs } from './validate-spec';
import { deleteSql, upsertSql } from './write-sql';

export type { SinkItem } from '@rta/sink-core';

export interface PostgresSinkOptions {
  /**
   * node-postgres pool settings: connectionString (DATABASE_URL, may carry sslmode), ssl { ca },
   * max.
   */
  readonly connection: PoolConfig;
  readonly tables: readonly TableSpec[];
  readonly batch?: BatchLimits;
  readonly retry?: RetryPolicy;
  readonly hooks?: SinkHooks<SinkItem>;
}

interface PreparedTable {
  readonly spec: TableSpec;
  readonly upsert: string;
  readonly remove: string;
}

/**
 * Writes window results to PostgreSQL: batched multi-row versioned upserts (idempotent, stale
 * snapshots ignored), retractions, and retries with backoff on transient failures. Checkpoints
 * are another store's (checkpoint-store.ts), even on the same database.
 */
export class PostgresSink implements ResultSink {
  readonly name = 'postgres';
  private readonly tables = new Map<string, PreparedTable>();
  private readonly writer: BatchingWriter<SinkItem>;

  private changes: readonly string[] = [];

  private constructor(
    private readonly pool: Pool,
    private readonly options: PostgresSinkOptions,
  ) {
    for (const spec of options.tables) {
      this.tables.set(spec.metric, { spec, upsert: upsertSql(spec), remove: deleteSql(spec) });
    }
    this.writer = new BatchingWriter(
      (items) => this.writeBatch(items),
      approximateBytes,
      options.batch,
    );
  }

  /**
   * Connects, applies pending migrations, then derives each metric's tables from its spec
   * (evolve-tables.ts): missing ones created, missing value columns added, anything else a
   * SCHEMA_MISMATCH. Both under one advisory lock: safe with several instances starting together.
   */
  static async open(options: PostgresSinkOptions): Promise<PostgresSink> {
    validateSpecs(options.tables);
    const pool = new Pool({ max: 4, connectionTimeoutMillis: 5_000, ...options.connection });
    pool.on('error', () => undefined); // an idle client lost: the next query reconnects and retries
    const sink = new PostgresSink(pool, options);
    try {
      sink.changes = await withRetry(() => prepareSchema(pool, options.tables), options.retry);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return sink;
  }

  /** Buffers results and retractions; resolves once accepted (waits when too much is pending). */
  write(items: readonly SinkItem[]): Promise<void> {
    for (const item of items) this.prepared(item.metric);
    return this.writer.write(items);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  stores(metric: string): boolean {
    return this.tables.has(metric);
  }

  async check(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.pool.end();
  }

  /** What `open` changed in the database's metric tables, in words; empty when they matched. */
  get schemaChanges(): readonly string[] {
    return this.changes;
  }

  /** For reading results back (tests, tools). */
  get database(): Pool {
    return this.pool;
  }

  private async writeBatch(items: SinkItem[]): Promise<void> {
    const started = performance.now();
    await this.inTransaction((client, rejected) => this.applyItems(client, items, rejected));
    this.options.hooks?.onWritten?.(items.length, performance.now() - started);
  }

  /**
   * Runs `work` in a transaction, retried as a whole; reports the items it rejected once it
   * committed.
   */
  private async inTransaction(
    work: (client: PoolClient, rejected: Rejection[]) => Promise<void>,
  ): Promise<void> {
    const rejected = await withRetry(
      async () => {
        const attempt: Rejection[] = [];
        await inTransaction(this.pool, (client) => work(client, attempt));
        return attempt;
      },
      {
        ...this.options.retry,
        onRetry: this.options.hooks?.onRetry ?? this.options.retry?.onRetry,
      },
    );
    for (const [item, error] of rejected) await this.options.hooks?.onRejected?.(item, error);
  }

  /**
   * One statement per table; if the server rejects a value, rows go one by one and only the bad
   * ones are rejected.
   */
  private async applyItems(
    client: PoolClient,
    items: readonly SinkItem[],
    rejected: Rejection[],
  ): Promise<void> {
    for (const [metric, group] of groupByMetric(items)) {
      const table = this.prepared(metric);
      const storable = group.filter(
        (item) =>
          hasKeys(table.spec, item.key) ||
          !this.reject(rejected, item, missingKey(table.spec, item)),
      );
      const results = storable.filter((i): i is WindowResult => i.kind === 'result');
      const retractions = storable.filter((i): i is Retraction => i.kind === 'retract');
      if (results.length > 0) await this.upsert(client, table, results, rejected);
      if (retractions.length > 0)
        await client.query(table.remove, deleteParams(table.spec, retractions));
    }
  }

  /** Records a rejection for the hook (after commit); without a hook it is thrown. */
  private reject(rejected: Rejection[], item: SinkItem, error: SinkError): true {
    if (!this.options.hooks?.onRejected) throw error;
    rejected.push([item, error]);
    return true;
  }

  private async upsert(
    client: PoolClient,
    table: PreparedTable,
    results: readonly WindowResult[],
    rejected: Rejection[],
  ): Promise<void> {
    await client.query('SAVEPOINT batch');
    try {
      await client.query(table.upsert, upsertParams(table.spec, results));
      return;
    } catch (error) {
      const failure = classifyPgError(error, table.spec.metric);
      if (failure.code !== 'VALUE_REJECTED' && failure.code !== 'MISSING_VALUE') throw failure;
      await client.query('ROLLBACK TO SAVEPOINT batch');
    }
    for (const result of results) await this.upsertOne(client, table, result, rejected);
  }

  private async upsertOne(
    client: PoolClient,
    table: PreparedTable,
    result: WindowResult,
    rejected: Rejection[],
  ): Promise<void> {
    await client.query('SAVEPOINT one');
    try {
      await client.query(table.upsert, upsertParams(table.spec, [result]));
    } catch (error) {
      const failure = classifyPgError(error, table.spec.metric, result.values);
      if (failure.retriable) throw failure;
      await client.query('ROLLBACK TO SAVEPOINT one');
      this.reject(rejected, result, failure);
    }
  }

  private prepared(metric: string): PreparedTable {
    const table = this.tables.get(metric);
    if (!table)
      throw new SinkError(
        'UNKNOWN_METRIC',
        `no PostgreSQL table is configured for metric ${metric}`,
        false,
        { metric },
      );
    return table;
  }
}

type Rejection = [SinkItem, SinkError];

function prepareSchema(pool: Pool, tables: readonly TableSpec[]): Promise<string[]> {
  return withSchemaLock(pool, async (client) => {
    await applyMigrations(client);
    return evolveTables(client, tables);
  });
}

function missingKey(spec: TableSpec, item: SinkItem): SinkError {
  return new SinkError(
    'MISSING_KEY',
    `metric ${spec.metric}: a key field is null (${JSON.stringify(item.key)}); PostgreSQL key columns are NOT NULL`,
    false,
    { metric: spec.metric, value: item.key },
  );
}

function groupByMetric(items: readonly SinkItem[]): Map<string, SinkItem[]> {
  const groups = new Map<string, SinkItem[]>();
  for (const item of items) groups.set(item.metric, [...(groups.get(item.metric) ?? []), item]);
  return groups;
}

function approximateBytes(item: SinkItem): number {
  return 200 + (item.kind === 'result' ? JSON.stringify(item.values).length : 0);
}
