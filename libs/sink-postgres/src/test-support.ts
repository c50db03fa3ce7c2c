import type { Retraction, WindowResult } from '@rta/windowing';
import type { TableSpec } from './table-spec';

/** Test helpers shared by the integration specs (not exported from the lib). */
export const REVENUE: TableSpec = {
  metric: 'category_revenue',
  table: 'category_revenue_window',
  keys: [{ column: 'category', field: 'category', type: 'text' }],
  values: [{ column: 'total_revenue', field: 'revenue_minor', type: 'numeric', minorUnits: 2 }],
};

export const VIEWS: TableSpec = {
  metric: 'product_views',
  table: 'product_view_window',
  keys: [{ column: 'product_id', field: 'product_id', type: 'text' }],
  values: [{ column: 'view_count', field: 'views', type: 'bigint' }],
};

let windowBase = Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000;

/** A fresh minute no other test run writes to, so tests never see each other's rows. */
export function freshWindow(): number {
  windowBase += 60_000;
  return windowBase;
}

export function revenue(
  start: number,
  category: string,
  cents: number | string,
  version: number,
  final = false,
  partition = 0,
): WindowResult {
  return {
    kind: 'result',
    id: `category_revenue|${partition}|${start}|${category}`,
    version,
    metric: 'category_revenue',
    partition,
    windowStartMs: start,
    windowEndMs: start + 60_000,
    key: { category },
    values: { revenue_minor: cents },
    final,
  };
}

export function views(
  start: number,
  product: string,
  count: number,
  version: number,
  partition = 0,
): WindowResult {
  return {
    kind: 'result',
    id: `product_views|${partition}|${start}|${product}`,
    version,
    metric: 'product_views',
    partition,
    windowStartMs: start,
    windowEndMs: start + 60_000,
    key: { product_id: product },
    values: { views: count },
    final: false,
  };
}

export function retract(result: WindowResult): Retraction {
  const { id, version, metric, partition, windowStartMs, key } = result;
  return { kind: 'retract', id, version, metric, partition, windowStartMs, key };
}
