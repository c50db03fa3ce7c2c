import type { IndexSpec } from '@rta/sink-elasticsearch';
import type { TableSpec } from '@rta/sink-postgres';
import { Duration, metric, Metric, MetricSpec, WindowSpec } from '@rta/windowing';

/** One metric of the catalog: how it is computed, from which stream, and where it is stored. */
export interface CatalogEntry<E> {
  readonly stream: 'game' | 'ecommerce';
  /** Which replaced pipeline computed it (or "beyond the seeds"). */
  readonly origin: string;
  readonly spec: MetricSpec<E>;
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
  const m = metric({ ...entry.spec, ...overrides });
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
}

/**
 * The usual storage of a metric: a PostgreSQL table `table` (text keys) and a daily Elasticsearch
 * index `rta-<table with dashes>` (keyword keys), with the same value fields.
 */
export function storage(table: string, keys: readonly (readonly [column: string, field: string])[], values: readonly StoredValue[]): Pick<CatalogEntry<unknown>, 'postgres' | 'elasticsearch'> {
  return {
    postgres: {
      table,
      keys: keys.map(([column, field]) => ({ column, field, type: 'text' as const })),
      values: values.map((v) => ({ column: v.column ?? v.field, field: v.field, type: v.pg, ...(v.minorUnits ? { minorUnits: v.minorUnits } : {}) })),
    },
    elasticsearch: {
      index: `rta-${table.replace(/_/g, '-')}`,
      daily: true,
      keys: keys.map(([, field]) => ({ field, type: 'keyword' as const })),
      values: values.map((v) => ({ field: v.field, type: v.es, ...(v.minorUnits ? { minorUnits: v.minorUnits } : {}) })),
    },
  };
}

export const COUNT = (field: string): StoredValue => ({ field, pg: 'bigint', es: 'long' });
export const MONEY = (field: string): StoredValue => ({ field, pg: 'numeric', es: 'double', minorUnits: 2 });
export const TIME = (field: string): StoredValue => ({ field, pg: 'timestamptz', es: 'date' }); // epoch ms, a date to Kibana
