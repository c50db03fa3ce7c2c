import { SinkError } from '@rta/sink-core';
import type { Retraction, WindowResult } from '@rta/windowing';

export type KeyFieldType = 'keyword' | 'long' | 'boolean';
export type ValueFieldType = 'long' | 'double' | 'keyword' | 'object' | 'date';

/** How one metric's results become documents (and which index template maps them). */
export interface IndexSpec {
  readonly metric: string;
  /** Index name, or with `daily` the prefix of `<index>-yyyy.mm.dd` (by window start, UTC). */
  readonly index: string;
  readonly daily?: boolean;
  readonly keys: readonly { readonly field: string; readonly type: KeyFieldType }[];
  /**
   * Result values. With `minorUnits: 2` an integer of cents is stored twice: exactly as
   * `<field>_minor` (long) and as `<field>` (double, major units) for dashboards.
   */
  readonly values: readonly {
    readonly field: string;
    readonly type: ValueFieldType;
    readonly minorUnits?: number;
  }[];
  /**
   * Extra names for fields (Elasticsearch field aliases), e.g. a replaced pipeline's `event_window`
   * → `window_start`.
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

const INDEX_NAME = /^[a-z0-9][a-z0-9_.-]{0,200}$/;
const FIELD_NAME = /^[a-z_][a-z0-9_]{0,100}$/;

export function validateIndexSpec(spec: IndexSpec): void {
  const bad = (what: string, value: string) =>
    new SinkError(
      'BAD_IDENTIFIER',
      `metric ${spec.metric}: ${JSON.stringify(value)} is not a valid ${what}`,
      false,
      { metric: spec.metric, value },
    );
  if (!INDEX_NAME.test(spec.index)) throw bad('index name (lowercase, no spaces)', spec.index);
  for (const f of [...spec.keys, ...spec.values])
    if (!FIELD_NAME.test(f.field)) throw bad('field name', f.field);
  for (const alias of Object.keys(spec.aliases ?? {}))
    if (!FIELD_NAME.test(alias)) throw bad('alias name', alias);
}

/** Explicit mappings, no dynamic surprises: an unknown field is an error, not a new mapping. */
export function indexTemplate(spec: IndexSpec, replicas: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    '@timestamp': { type: 'date' },
    window_start: { type: 'date' },
    window_end: { type: 'date' },
    metric: { type: 'keyword' },
    source_partition: { type: 'integer' },
    version: { type: 'long' },
    is_final: { type: 'boolean' },
  };
  for (const k of spec.keys) properties[k.field] = { type: k.type };
  for (const v of spec.values) {
    if (v.minorUnits) {
      properties[v.field] = { type: 'double' };
      properties[`${v.field}_minor`] = { type: 'long' };
    } else {
      properties[v.field] =
        v.type === 'object' ? { type: 'object', enabled: false } : { type: v.type };
    }
  }
  for (const [alias, path] of Object.entries(spec.aliases ?? {}))
    properties[alias] = { type: 'alias', path };
  return {
    name: spec.index,
    index_patterns: spec.daily ? [`${spec.index}-*`] : [spec.index],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas },
      mappings: { dynamic: 'strict', properties },
    },
  };
}

export function indexFor(spec: IndexSpec, windowStartMs: number): string {
  return spec.daily
    ? `${spec.index}-${new Date(windowStartMs).toISOString().slice(0, 10).replace(/-/g, '.')}`
    : spec.index;
}

/**
 * Deterministic, readable document id (the seeds' "composite doc_id", in UTC and with the
 * source partition): a rewrite of the same window and key overwrites the same document.
 */
export function documentId(item: WindowResult | Retraction): string {
  const key = Object.values(item.key).map((v) =>
    encodeURIComponent(String(v)).replace(/_/g, '%5F'),
  );
  return [...key, new Date(item.windowStartMs).toISOString(), `p${item.partition}`].join('_');
}

export function toDocument(spec: IndexSpec, result: WindowResult): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    '@timestamp': new Date(result.windowStartMs).toISOString(),
    window_start: new Date(result.windowStartMs).toISOString(),
    window_end: new Date(result.windowEndMs).toISOString(),
    metric: result.metric,
    source_partition: result.partition,
    version: result.version,
    is_final: result.final,
  };
  for (const k of spec.keys) doc[k.field] = result.key[k.field] ?? null;
  for (const v of spec.values) {
    const value = result.values[v.field] ?? null;
    if (v.minorUnits && value !== null) {
      doc[`${v.field}_minor`] = value;
      doc[v.field] = Number(value) / 10 ** v.minorUnits;
    } else doc[v.field] = value;
  }
  return doc;
}
