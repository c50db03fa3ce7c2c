import type { Client } from '@elastic/elasticsearch';
import type { IndexSpec } from '@rta/sink-elasticsearch';
import type { TableSpec } from '@rta/sink-postgres';
import type { Pool } from 'pg';
import type { ExpectedRow } from './oracle';

/**
 * Rows as the sinks store them, and the expected rows in that same shape, keyed by
 * partition | window start | key fields, so that the two compare with one `toEqual`.
 */
export type Comparable = Map<
  string,
  { final: boolean; windowEnd: string; values: Record<string, unknown> }
>;

const rowKey = (partition: number, windowStartMs: number, keys: readonly unknown[]) =>
  `p${partition}|${new Date(windowStartMs).toISOString()}|${keys.map(String).join('|')}`;

export function expectedInPostgres(spec: TableSpec, rows: readonly ExpectedRow[]): Comparable {
  return new Map(
    rows.map((r) => [
      rowKey(
        r.partition,
        r.windowStartMs,
        spec.keys.map((k) => r.key[k.field]),
      ),
      {
        final: r.final,
        windowEnd: new Date(r.windowEndMs).toISOString(),
        values: Object.fromEntries(
          spec.values.map((v) => [v.column, postgresForm(v, r.values[v.field])]),
        ),
      },
    ]),
  );
}

function postgresForm(v: TableSpec['values'][number], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (v.type === 'timestamptz') return new Date(value as number).toISOString();
  if (v.minorUnits) return Number(value) / 10 ** v.minorUnits;
  return value;
}

export async function storedInPostgres(
  pool: Pool,
  spec: TableSpec,
  fromMs: number,
  toMs: number,
): Promise<Comparable> {
  const { rows } = await pool.query<{ j: Record<string, unknown> }>(
    `SELECT row_to_json(t) AS j FROM ${spec.table}_by_partition t WHERE window_start >= $1 AND window_start < $2`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return new Map(
    rows.map(({ j }) => [
      rowKey(
        j['source_partition'] as number,
        Date.parse(j['window_start'] as string),
        spec.keys.map((k) => j[k.column]),
      ),
      {
        final: j['is_final'] as boolean,
        windowEnd: new Date(Date.parse(j['window_end'] as string)).toISOString(),
        values: Object.fromEntries(
          spec.values.map((v) => [
            v.column,
            v.type === 'timestamptz' && j[v.column]
              ? new Date(Date.parse(j[v.column] as string)).toISOString()
              : j[v.column],
          ]),
        ),
      },
    ]),
  );
}

export function expectedInElasticsearch(spec: IndexSpec, rows: readonly ExpectedRow[]): Comparable {
  return new Map(
    rows.map((r) => [
      rowKey(
        r.partition,
        r.windowStartMs,
        spec.keys.map((k) => r.key[k.field]),
      ),
      {
        final: r.final,
        windowEnd: new Date(r.windowEndMs).toISOString(),
        values: Object.fromEntries(
          spec.values.map((v) => [
            v.minorUnits ? `${v.field}_minor` : v.field,
            r.values[v.field] ?? null,
          ]),
        ),
      },
    ]),
  );
}

export async function storedInElasticsearch(
  client: Client,
  spec: IndexSpec,
  fromMs: number,
  toMs: number,
): Promise<Comparable> {
  const out: Comparable = new Map();
  const index = spec.daily ? `${spec.index}-*` : spec.index;
  // Scrolling an index that is not there yet (a slow run) ends with a refused clearScroll: none
  // means no documents.
  if (!(await client.indices.exists({ index, allow_no_indices: false }))) return out;
  await client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  for await (const doc of documentsInRange(client, index, fromMs, toMs)) {
    out.set(
      rowKey(
        doc['source_partition'] as number,
        Date.parse(doc['window_start'] as string),
        spec.keys.map((k) => doc[k.field]),
      ),
      {
        final: doc['is_final'] as boolean,
        windowEnd: new Date(Date.parse(doc['window_end'] as string)).toISOString(),
        values: Object.fromEntries(
          spec.values.map((v) => {
            const field = v.minorUnits ? `${v.field}_minor` : v.field;
            return [field, doc[field] ?? null];
          }),
        ),
      },
    );
  }
  return out;
}

/** Every document of `index` whose window starts in [fromMs, toMs), scrolled in pages. */
function documentsInRange(
  client: Client,
  index: string,
  fromMs: number,
  toMs: number,
): AsyncIterable<Record<string, unknown>> {
  const query = {
    range: {
      window_start: { gte: new Date(fromMs).toISOString(), lt: new Date(toMs).toISOString() },
    },
  };
  return client.helpers.scrollDocuments<Record<string, unknown>>({
    index,
    query,
    size: 5_000,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
}

/** A readable difference (first few per kind), empty when equal. */
export function differences(expected: Comparable, actual: Comparable, limit = 5): string[] {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const differing = [...expected.keys()].filter(
    (k) => actual.has(k) && JSON.stringify(actual.get(k)) !== JSON.stringify(expected.get(k)),
  );
  return [
    ...missing.slice(0, limit).map((k) => `missing ${k}: ${JSON.stringify(expected.get(k))}`),
    ...extra.slice(0, limit).map((k) => `unexpected ${k}: ${JSON.stringify(actual.get(k))}`),
    ...differing
      .slice(0, limit)
      .map(
        (k) =>
          `differs ${k}: expected ${JSON.stringify(expected.get(k))}, stored ${JSON.stringify(actual.get(k))}`,
      ),
    ...(missing.length + extra.length + differing.length > 0
      ? [
          `(${missing.length} missing, ${extra.length} unexpected, ${differing.length} differing of ${expected.size})`,
        ]
      : []),
  ];
}
