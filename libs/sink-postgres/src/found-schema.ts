import type { PoolClient } from 'pg';

export interface FoundColumn {
  readonly name: string;
  /** As `format_type` reports it: `numeric(18,2)`, `timestamp with time zone`. */
  readonly type: string;
  readonly notNull: boolean;
}

export interface FoundRelation {
  readonly kind: 'table' | 'view' | 'other';
  /** In column order. */
  readonly columns: readonly FoundColumn[];
  readonly primaryKey: readonly string[];
}

/** The relations of the current schema by name; a name that is not there is not in the map. */
export type FoundSchema = ReadonlyMap<string, FoundRelation>;

const COLUMNS = `
  SELECT c.relname AS relation, c.relkind AS kind, a.attname AS column,
         format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE c.relname = ANY($1)
  ORDER BY c.relname, a.attnum`;

const PRIMARY_KEYS = `
  SELECT c.relname AS relation, array_agg(a.attname::text ORDER BY k.ord) AS columns
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
  CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
  WHERE con.contype = 'p' AND c.relname = ANY($1)
  GROUP BY c.relname`;

interface ColumnRow {
  relation: string;
  kind: string;
  column: string | null;
  type: string | null;
  not_null: boolean | null;
}

/** Reads the named tables and views of the schema new tables go to (`current_schema()`). */
export async function readSchema(
  client: PoolClient,
  names: readonly string[],
): Promise<FoundSchema> {
  const columns = await client.query<ColumnRow>(COLUMNS, [names]);
  const keys = await client.query<{ relation: string; columns: string[] }>(PRIMARY_KEYS, [names]);
  const primaryKeys = new Map(keys.rows.map((r) => [r.relation, r.columns]));
  const found = new Map<string, FoundRelation>();
  for (const row of columns.rows) {
    const relation = found.get(row.relation) ?? {
      kind: relationKind(row.kind),
      columns: [],
      primaryKey: primaryKeys.get(row.relation) ?? [],
    };
    const column = {
      name: String(row.column),
      type: String(row.type),
      notNull: row.not_null === true,
    };
    const withColumn = row.column === null ? [] : [column];
    found.set(row.relation, { ...relation, columns: [...relation.columns, ...withColumn] });
  }
  return found;
}

function relationKind(relkind: string): FoundRelation['kind'] {
  if (relkind === 'r' || relkind === 'p') return 'table';
  return relkind === 'v' ? 'view' : 'other';
}
