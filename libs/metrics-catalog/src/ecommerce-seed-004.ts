import type { EcommerceEvent } from '@rta/event-schemas';
import { count, max, min, session, sum, tumbling } from '@rta/windowing';
import {
  amount,
  conversion,
  CONVERTED,
  hasCategory,
  is,
  PER_CUSTOMER,
  purchases,
  SESSION_SECONDS,
  time,
  when,
} from './ecommerce-parts';
import { CatalogEntry, COUNT, MONEY, REQUIRED, storage, TIME } from './entry';

type E = EcommerceEvent;

/** Seed 004, and what the seeds listed as future work. */
export const SEED_004_AND_BEYOND: readonly CatalogEntry<E>[] = [
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
