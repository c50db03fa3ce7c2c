import type { IndexSpec } from '@rta/sink-elasticsearch';
import type { Rollup, TableSpec } from '@rta/sink-postgres';
import { STREAMS } from '@rta/event-schemas';
import { Duration, metric, Metric, MetricSpec, WindowSpec } from '@rta/windowing';

/** One metric of the catalog: how it is computed, from which stream, and where it is stored. */
export interface CatalogEntry<E> {
  readonly stream: 'game' | 'ecommerce';
  /** Which replaced pipeline computed it (or "beyond the seeds"). */
  readonly origin: string;
  /** The metric without its event time: that is the stream's (event-schemas' STREAMS). */
  readonly spec: Omit<MetricSpec<E>, 'eventTime'>;
  readonly postgres?: Omit<TableSpec, 'metric'>;
  readonly elasticsearch?: Omit<IndexSpec, 'metric'>;
}

/** Per-metric changes of the defaults (the seeds' READMEs): window, watermark delay, lateness. */
export interface MetricOverrides {
  readonly window?: WindowSpec;
  readonly watermarkDelay?: Duration;
  readonly allowedLateness?: Duration;
  readonly emit?: 'update' | 'final';
}

export interface BuiltMetric<E> {
  readonly metric: Metric<E>;
  readonly stream: 'game' | 'ecommerce';
  readonly origin: string;
  readonly postgres?: TableSpec;
  readonly elasticsearch?: IndexSpec;
}

export function build<E>(entry: CatalogEntry<E>, overrides: MetricOverrides = {}): BuiltMetric<E> {
  const eventTime = STREAMS[entry.stream].eventTime as unknown as (event: E) => number;
  const m = metric({ ...entry.spec, eventTime, ...overrides });
  return {
    metric: m,
    stream: entry.stream,
    origin: entry.origin,
    ...(entry.postgres ? { postgres: { ...entry.postgres, metric: m.name } } : {}),
    ...(entry.elasticsearch ? { elasticsearch: { ...entry.elasticsearch, metric: m.name } } : {}),
  };
}

export interface StoredValue {
  readonly field: string;
  readonly pg: NonNullable<TableSpec['values'][number]['type']>;
  readonly es: NonNullable<IndexSpec['values'][number]['type']>;
  readonly minorUnits?: number;
  /** Column name in PostgreSQL when it differs from the result field. */
  readonly column?: string;
  /** How the PostgreSQL view combines partitions (`Rollup`); numbers add up by default. */
  readonly rollup?: Rollup;
  /** NOT NULL in a new PostgreSQL table: the value every result has. */
  readonly notNull?: boolean;
}

/** The PostgreSQL view's own columns: derived from the rolled-up values, and a ranking. */
export type ViewExtras = Pick<TableSpec, 'derived' | 'ranking'>;

type Storage = Pick<CatalogEntry<unknown>, 'postgres' | 'elasticsearch'>;
type Keys = readonly (readonly [column: string, field: string])[];

/**
 * The usual storage of a metric: a PostgreSQL table `table` (text keys; its base table and view
 * are derived from this when the sink opens) and a daily Elasticsearch index
 * `rta-<table with dashes>` (keyword keys), with the same value fields.
 */
export function storage(
  table: string,
  keys: Keys,
  values: readonly StoredValue[],
  view: ViewExtras = {},
): Storage {
  return {
    postgres: postgresTable(table, keys, values, view),
    elasticsearch: index(table, keys, values),
  };
}

function postgresTable(
  table: string,
  keys: Keys,
  values: readonly StoredValue[],
  view: ViewExtras,
): NonNullable<Storage['postgres']> {
  return {
    table,
    keys: keys.map(([column, field]) => ({ column, field, type: 'text' as const })),
    values: values.map((v) => ({
      column: v.column ?? v.field,
      field: v.field,
      type: v.pg,
      ...(v.minorUnits ? { minorUnits: v.minorUnits } : {}),
      ...(v.rollup ? { rollup: v.rollup } : {}),
      ...(v.notNull ? { notNull: true } : {}),
    })),
    ...view,
  };
}

function index(
  table: string,
  keys: Keys,
  values: readonly StoredValue[],
): Storage['elasticsearch'] {
  return {
    index: `rta-${table.replace(/_/g, '-')}`,
    daily: true,
    keys: keys.map(([, field]) => ({ field, type: 'keyword' as const })),
    values: values.map((v) => ({
      field: v.field,
      type: v.es,
      ...(v.minorUnits ? { minorUnits: v.minorUnits } : {}),
    })),
  };
}

export const COUNT = (field: string): StoredValue => ({ field, pg: 'bigint', es: 'long' });
/** Distinct ids add up over partitions only because the topic is keyed by them. */
export const DISTINCT_COUNT = (field: string): StoredValue => ({
  ...COUNT(field),
  rollup: 'disjointSum',
});
export const MONEY = (field: string, rollup: Rollup = 'sum'): StoredValue => ({
  field,
  pg: 'numeric',
  es: 'double',
  minorUnits: 2,
  ...(rollup === 'sum' ? {} : { rollup }),
});
/** Epoch ms, a date to Kibana; `min` for a first time, `max` for a last one. */
export const TIME = (field: string, rollup: 'min' | 'max'): StoredValue => ({
  field,
  pg: 'timestamptz',
  es: 'date',
  rollup,
});
export const REQUIRED = (value: StoredValue): StoredValue => ({ ...value, notNull: true });
