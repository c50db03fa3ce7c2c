import type { EcommerceEvent } from '@rta/event-schemas';
import type { DerivedColumn } from '@rta/sink-postgres';
import {
  count,
  countDistinct,
  distinctValues,
  hopping,
  max,
  min,
  session,
  sum,
  tumbling,
} from '@rta/windowing';
import { CatalogEntry, COUNT, DISTINCT_COUNT, MONEY, REQUIRED, storage, TIME } from './entry';

type E = EcommerceEvent;
const time = (e: E) => e.timestamp;
const is = (type: E['event_type']) => (e: E) => e.event_type === type;
const when = (type: E['event_type'], value: (e: E) => number | null) => (e: E) =>
  e.event_type === type ? (value(e) ?? undefined) : undefined;
const purchases = sum(when('purchase', () => 1));
const amount = (e: E) => e.amount_minor ?? undefined;
const hasCategory = (e: E) => e.product_category !== null;
/**
 * Per-customer and per-session metrics emit finals only: a live row per customer would be a write
 * per event (measured: results written ≈ events, the sinks bound the pipeline at ~14k events/s;
 * final-only lets it keep up with 50k/s). Dashboards read the aggregate metrics, which stay live;
 * `--metric customer_activity.emit=update` brings live rows back where they are wanted.
 */
const PER_CUSTOMER = 'final';

/** View columns computed from the partitions' sums, so that they are exact over all of them. */
const averageOrderValue = (orders: string): DerivedColumn => ({
  column: 'avg_order_value',
  kind: 'ratio',
  numerator: 'total_revenue',
  denominator: orders,
  decimals: 2,
});
const conversion = (column: string, numerator: string, denominator: string): DerivedColumn => ({
  column,
  kind: 'ratio',
  numerator,
  denominator,
  decimals: 4,
});
const CONVERTED: DerivedColumn = { column: 'converted', kind: 'isPositive', of: 'purchase_count' };
const SESSION_SECONDS: DerivedColumn = {
  column: 'duration_seconds',
  kind: 'seconds',
  from: 'session_start',
  to: 'session_end',
};

/** Seeds 002, 003 and 004 (e-commerce), with their README defaults, and what they listed as future work. */
export const ECOMMERCE_CATALOG: readonly CatalogEntry<E>[] = [
  {
    stream: 'ecommerce',
    origin: 'seed 002 category_purchases (avg order value = revenue / count, in the views)',
    spec: {
      name: 'category_purchases',
      where: is('purchase'),
      window: tumbling('30s'),
      watermarkDelay: '30s',
      groupBy: ['product_category'],
      aggregate: { purchase_count: count(), total_revenue: sum(amount) },
    },
    ...storage(
      'category_purchases',
      [['category', 'product_category']],
      [COUNT('purchase_count'), MONEY('total_revenue')],
      { derived: [averageOrderValue('purchase_count')] },
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 002 customer_activity',
    spec: {
      name: 'customer_activity',
      emit: PER_CUSTOMER,
      window: tumbling('60s'),
      watermarkDelay: '30s',
      groupBy: ['customer_id', 'location'],
      aggregate: {
        event_count: count(),
        purchase_count: purchases,
        total_spent: sum(when('purchase', (e) => e.amount_minor)),
      },
    },
    ...storage(
      'customer_activity',
      [
        ['customer_id', 'customer_id'],
        ['location', 'location'],
      ],
      [COUNT('event_count'), COUNT('purchase_count'), MONEY('total_spent')],
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 003 event_counts',
    spec: {
      name: 'event_counts',
      window: tumbling('1m'),
      watermarkDelay: '5m',
      groupBy: ['event_type'],
      aggregate: { event_count: count(), unique_users: countDistinct((e) => e.customer_id) },
    },
    ...storage(
      'event_counts',
      [['event_type', 'event_type']],
      [COUNT('event_count'), DISTINCT_COUNT('unique_users')],
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 003 user_activity (5-minute window sliding by 1 minute)',
    spec: {
      name: 'user_activity',
      emit: PER_CUSTOMER,
      window: hopping('5m', '1m'),
      watermarkDelay: '5m',
      groupBy: ['customer_id'],
      aggregate: {
        event_count: count(),
        event_types: distinctValues((e) => e.event_type),
        first_event: min(time),
        last_event: max(time),
      },
    },
    ...storage(
      'user_activity',
      [['customer_id', 'customer_id']],
      [
        COUNT('event_count'),
        // a list of distinct values does not combine across partitions; a customer lives in one
        { field: 'event_types', pg: 'jsonb', es: 'keyword', rollup: 'onePartition' },
        TIME('first_event', 'min'),
        TIME('last_event', 'max'),
      ],
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 003 purchase_metrics (global, 10 minutes)',
    spec: {
      name: 'purchase_metrics',
      where: is('purchase'),
      window: tumbling('10m'),
      watermarkDelay: '5m',
      aggregate: {
        total_orders: count(),
        total_revenue: sum(amount),
        max_order_value: max(amount),
        min_order_value: min(amount),
        unique_buyers: countDistinct((e) => e.customer_id),
      },
    },
    ...storage(
      'purchase_metrics',
      [],
      [
        COUNT('total_orders'),
        MONEY('total_revenue'),
        MONEY('max_order_value', 'max'),
        MONEY('min_order_value', 'min'),
        DISTINCT_COUNT('unique_buyers'),
      ],
      { derived: [averageOrderValue('total_orders')] },
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 003 session_metrics, made real: session windows (30-minute gap) per session id',
    spec: {
      name: 'session_metrics',
      emit: PER_CUSTOMER,
      window: session('30m'),
      watermarkDelay: '5m',
      groupBy: ['session_id'],
      aggregate: { event_count: count(), session_start: min(time), session_end: max(time) },
    },
    ...storage(
      'session_metrics',
      [['session_id', 'session_id']],
      [COUNT('event_count'), TIME('session_start', 'min'), TIME('session_end', 'max')],
      { derived: [SESSION_SECONDS] },
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 003 device_stats',
    spec: {
      name: 'device_stats',
      window: tumbling('10m'),
      watermarkDelay: '5m',
      groupBy: ['device', 'location'],
      aggregate: {
        event_count: count(),
        unique_users: countDistinct((e) => e.customer_id),
        unique_sessions: countDistinct((e) => e.session_id),
      },
    },
    ...storage(
      'device_stats',
      [
        ['device', 'device'],
        ['location', 'location'],
      ],
      [COUNT('event_count'), DISTINCT_COUNT('unique_users'), DISTINCT_COUNT('unique_sessions')],
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 004 product_view_window (README: 2-minute windows)',
    spec: {
      name: 'product_views',
      where: is('product_view'),
      window: tumbling('2m'),
      watermarkDelay: '2m',
      groupBy: ['product_id'],
      aggregate: { view_count: count() },
    },
    ...storage(
      'product_view_window',
      [['product_id', 'product_id']],
      [REQUIRED(COUNT('view_count'))],
      { ranking: { view: 'top_products', by: 'view_count', limit: 10 } }, // the ten most viewed
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 004 category_activity_window',
    spec: {
      name: 'category_activity',
      where: hasCategory,
      window: tumbling('2m'),
      watermarkDelay: '2m',
      groupBy: ['product_category'],
      aggregate: { event_count: count() },
    },
    ...storage(
      'category_activity_window',
      [['category', 'product_category']],
      [REQUIRED(COUNT('event_count'))],
    ),
  },
  {
    stream: 'ecommerce',
    origin: 'seed 004 category_revenue_window (exact to the cent)',
    spec: {
      name: 'category_revenue',
      where: is('purchase'),
      window: tumbling('2m'),
      watermarkDelay: '2m',
      groupBy: ['product_category'],
      aggregate: { total_revenue: sum(amount) },
    },
    ...storage(
      'category_revenue_window',
      [['category', 'product_category']],
      [REQUIRED(MONEY('total_revenue'))],
    ),
  },
  {
    stream: 'ecommerce',
    origin:
      'beyond the seeds (seed 003 future work): sessionization per customer, converted or not',
    spec: {
      name: 'customer_sessions',
      emit: PER_CUSTOMER,
      window: session('30m'),
      watermarkDelay: '5m',
      groupBy: ['customer_id'],
      aggregate: {
        event_count: count(),
        purchase_count: purchases,
        revenue: sum(when('purchase', (e) => e.amount_minor)),
        session_start: min(time),
        session_end: max(time),
      },
    },
    ...storage(
      'customer_sessions',
      [['customer_id', 'customer_id']],
      [
        COUNT('event_count'),
        COUNT('purchase_count'),
        MONEY('revenue'),
        TIME('session_start', 'min'),
        TIME('session_end', 'max'),
      ],
      { derived: [CONVERTED, SESSION_SECONDS] },
    ),
  },
  {
    stream: 'ecommerce',
    origin:
      'beyond the seeds (seed 003 future work): funnel view → click → cart → purchase per category',
    spec: {
      name: 'category_funnel',
      where: hasCategory,
      window: tumbling('10m'),
      watermarkDelay: '5m',
      groupBy: ['product_category'],
      aggregate: {
        views: sum(when('product_view', () => 1)),
        clicks: sum(when('item_click', () => 1)),
        carts: sum(when('add_to_cart', () => 1)),
        purchases,
      },
    },
    ...storage(
      'category_funnel',
      [['category', 'product_category']],
      [COUNT('views'), COUNT('clicks'), COUNT('carts'), COUNT('purchases')],
      {
        derived: [
          conversion('view_to_cart', 'carts', 'views'),
          conversion('cart_to_purchase', 'purchases', 'carts'),
          conversion('view_to_purchase', 'purchases', 'views'),
        ],
      },
    ),
  },
];
