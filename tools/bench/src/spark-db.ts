import { Client } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';

/**
 * PostgreSQL for `bench:spark`: schemas of its own (dropped and made anew each run) so that its
 * rows never mix with other runs: Spark's tables in one, each aggregator run's catalog tables in
 * another (the aggregator migrates them itself, through `search_path`).
 */
export const SPARK_SCHEMA = 'rta_bench_spark';

const ROW =
  'run_id text NOT NULL, batch_id bigint NOT NULL, window_start timestamptz NOT NULL, window_end timestamptz NOT NULL';
const STAMPS =
  'max_kafka_ts timestamptz NOT NULL, written_at timestamptz NOT NULL DEFAULT clock_timestamp()';

/**
 * One seed query's table beside the aggregator's view of the same metric
 * (libs/sink-postgres/migrations).
 */
interface Compared {
  readonly table: string;
  readonly view: string;
  readonly keys: readonly string[];
  readonly value: string;
  readonly columns: string;
}

/**
 * Spark appends every updated row of each micro-batch (seed 004's plain appends), stamped on
 * landing.
 */
export const SEED_TABLES: readonly Compared[] = [
  {
    table: 'spark_product_view_window',
    view: 'product_view_window',
    keys: ['product_id'],
    value: 'view_count',
    columns: 'product_id text, view_count bigint NOT NULL',
  },
  {
    table: 'spark_category_activity_window',
    view: 'category_activity_window',
    keys: ['category'],
    value: 'event_count',
    columns: 'category text, event_count bigint NOT NULL',
  },
  {
    table: 'spark_category_revenue_window',
    view: 'category_revenue_window',
    keys: ['category'],
    value: 'total_revenue',
    columns: 'category text, total_revenue numeric(20,2)',
  },
  {
    table: 'spark_game_events_time_agg',
    view: 'game_events_per_region',
    keys: ['region', 'event_type'],
    value: 'event_count',
    columns: 'region text, event_type text, event_count bigint NOT NULL',
  },
];

/** DATABASE_URL with `search_path` set to `schema` (what the aggregator is given). */
export function databaseUrlFor(schema: string): string {
  const url = new URL(loadServiceEndpoints().databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** The same database for Spark's JDBC writer (password passed apart, never on a command line). */
export function jdbcFor(schema: string): { url: string; user: string; password: string } {
  const url = new URL(loadServiceEndpoints().databaseUrl);
  const jdbc = `jdbc:postgresql://${url.hostname}:${url.port || 5432}${url.pathname}?currentSchema=${schema}`;
  return {
    url: jdbc,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

export async function withDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: loadServiceEndpoints().databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and makes anew Spark's schema (with its tables) and the aggregator runs' schemas. */
export async function resetSchemas(aggregatorSchemas: readonly string[]): Promise<void> {
  await withDatabase(async (client) => {
    for (const schema of [SPARK_SCHEMA, ...aggregatorSchemas])
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    for (const t of SEED_TABLES)
      await client.query(
        `CREATE TABLE ${SPARK_SCHEMA}.${t.table} (${ROW}, ${t.columns}, ${STAMPS})`,
      );
  });
}

/** The last row Spark wrote for each window and key of a run. */
const lastRows = (t: Compared) =>
  `SELECT DISTINCT ON (window_start, ${t.keys.join(', ')}) * FROM ${SPARK_SCHEMA}.${t.table} WHERE run_id = $1 ORDER BY window_start, ${t.keys.join(', ')}, batch_id DESC`;

export interface Agreement {
  readonly metric: string;
  readonly rows: number;
  readonly equal: number;
  readonly onlySpark: number;
  readonly onlyAggregator: number;
  readonly different: number;
  /** Windows the aggregator has closed (final rows, past its watermark), and of those, equal. */
  readonly closed: number;
  readonly closedEqual: number;
}

/**
 * Spark's last row per window and key beside the aggregator's view, after both drained the same
 * topics.
 */
export async function compareWithAggregator(
  runId: string,
  aggregatorSchema: string,
  tables = SEED_TABLES,
): Promise<Agreement[]> {
  return withDatabase(async (client) => {
    const out: Agreement[] = [];
    for (const t of tables) {
      const sql = `SELECT count(*)::int AS rows, count(*) FILTER (WHERE s.v = a.v)::int AS equal, count(*) FILTER (WHERE a.v IS NULL)::int AS "onlySpark",
          count(*) FILTER (WHERE s.v IS NULL)::int AS "onlyAggregator", count(*) FILTER (WHERE s.v <> a.v)::int AS different,
          count(*) FILTER (WHERE a.is_final)::int AS closed, count(*) FILTER (WHERE a.is_final AND s.v = a.v)::int AS "closedEqual"
        FROM (SELECT window_start, ${t.keys.join(', ')}, ${t.value} AS v FROM (${lastRows(t)}) l) s
        FULL JOIN (SELECT window_start, ${t.keys.join(', ')}, ${t.value} AS v, is_final FROM ${aggregatorSchema}.${t.view}) a USING (window_start, ${t.keys.join(', ')})`;
      out.push({
        metric: `${t.table} vs ${aggregatorSchema}.${t.view}`,
        ...((await client.query<Omit<Agreement, 'metric'>>(sql, [runId])).rows[0] as Omit<
          Agreement,
          'metric'
        >),
      });
    }
    return out;
  });
}

export interface SparkFreshness {
  readonly windows: number;
  readonly rowsWritten: number;
  /** Per window and key: its newest record's Kafka timestamp → its last row landing (seconds). */
  readonly perWindow: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** Per row written: the newest record in it → the row landing (seconds). */
  readonly perRow: { readonly p50: number; readonly p95: number; readonly p99: number };
}

export async function sparkFreshness(runId: string): Promise<SparkFreshness> {
  const age = 'extract(epoch FROM written_at - max_kafka_ts)::float8';
  const quantiles = `percentile_cont(0.5) WITHIN GROUP (ORDER BY age) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY age) AS p95, percentile_cont(0.99) WITHIN GROUP (ORDER BY age) AS p99`;
  const union = (pick: (t: Compared) => string) =>
    SEED_TABLES.map((t) => `SELECT ${age} AS age FROM (${pick(t)}) x`).join(' UNION ALL ');
  return withDatabase(async (client) => {
    type Q = { n: number; p50: number; p95: number; p99: number };
    const [w, r] = [
      (
        await client.query<Q>(
          `SELECT count(*)::int AS n, ${quantiles} FROM (${union(lastRows)}) u`,
          [runId],
        )
      ).rows[0] as Q,
      (
        await client.query<Q>(
          `SELECT count(*)::int AS n, ${quantiles} FROM (${union((t) => `SELECT * FROM ${SPARK_SCHEMA}.${t.table} WHERE run_id = $1`)}) u`,
          [runId],
        )
      ).rows[0] as Q,
    ];
    return {
      windows: w.n,
      rowsWritten: r.n,
      perWindow: { p50: w.p50, p95: w.p95, p99: w.p99 },
      perRow: { p50: r.p50, p95: r.p95, p99: r.p99 },
    };
  });
}
