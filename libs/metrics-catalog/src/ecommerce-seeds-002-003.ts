import type { EcommerceEvent } from '@rta/event-schemas';
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
import {
  amount,
  averageOrderValue,
  is,
  PER_CUSTOMER,
  purchases,
  SESSION_SECONDS,
  time,
  when,
} from './ecommerce-parts';
import { CatalogEntry, COUNT, DISTINCT_COUNT, MONEY, storage, TIME } from './entry';

type E = EcommerceEvent;

/** Seeds 002 and 003, with their README defaults. */
export const SEEDS_002_003: readonly CatalogEntry<E>[] = [
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
];
