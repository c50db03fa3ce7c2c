import { ecommerceEvent, gameEvent } from '@rta/event-schemas/testing';
import { session, tumbling, WindowingEngine, type WindowResult } from '@rta/windowing';
import { ecommerceMetrics, gameMetrics } from './index';

const all = [...gameMetrics(), ...ecommerceMetrics()];

describe('the metric catalog', () => {
  it('covers every seed metric, each stored in PostgreSQL and Elasticsearch', () => {
    expect(all.map((m) => m.metric.name).sort()).toEqual([
      'category_activity',
      'category_funnel',
      'category_purchases',
      'category_revenue',
      'customer_activity',
      'customer_sessions',
      'device_stats',
      'event_counts',
      'game_events_per_region',
      'game_live_event_count',
      'game_players_per_region',
      'game_revenue_per_region',
      'product_views',
      'purchase_metrics',
      'session_metrics',
      'user_activity',
    ]);
    for (const m of all)
      expect([m.metric.name, Boolean(m.postgres && m.elasticsearch)]).toEqual([
        m.metric.name,
        true,
      ]);
  });

  it('stores only what the metric computes, keyed by what it groups by', () => {
    for (const m of all) {
      const computed = m.metric.aggregates.map(([name]) => name);
      expect({
        metric: m.metric.name,
        missing: m.postgres?.values.filter((v) => !computed.includes(v.field)).map((v) => v.field),
      }).toEqual({ metric: m.metric.name, missing: [] });
      const probe = m.stream === 'game' ? gameEvent('item_purchase') : ecommerceEvent('purchase');
      const keyFields = Object.keys(m.metric.keyOf(probe as never));
      expect(m.postgres?.keys.map((k) => k.field)).toEqual(keyFields);
      expect(m.elasticsearch?.keys.map((k) => k.field)).toEqual(keyFields);
    }
  });

  it("follows the seeds' defaults and takes overrides by name", () => {
    const [events] = gameMetrics();
    expect(events?.metric).toMatchObject({
      name: 'game_events_per_region',
      watermarkDelayMs: 600_000,
      window: { layout: tumbling('1m').layout },
    });
    const changed = ecommerceMetrics({
      product_views: { window: tumbling('30m'), watermarkDelay: '2m' },
    }).find((m) => m.metric.name === 'product_views');
    expect(changed?.metric.window.layout).toBe(tumbling('30m').layout);
    expect(() => gameMetrics({ nope: {} })).toThrow(/unknown metrics: nope/);
    expect(
      ecommerceMetrics().find((m) => m.metric.name === 'session_metrics')?.metric.window.layout,
    ).toBe(session('30m').layout);
  });

  it('computes the e-commerce seed semantics: customer activity, funnel, purchase extremes', () => {
    const metrics = ecommerceMetrics().map((m) => m.metric);
    const engine = new WindowingEngine(metrics);
    const t = Date.parse('2026-03-01T00:00:10Z');
    const events = [
      ecommerceEvent('product_view', { timestamp: t }),
      ecommerceEvent('add_to_cart', { timestamp: t + 1 }),
      ecommerceEvent('purchase', { timestamp: t + 2, amount_minor: 1_500, event_id: 'a' }),
      ecommerceEvent('purchase', {
        timestamp: t + 3,
        amount_minor: 500,
        customer_id: 'cust-002',
        event_id: 'b',
      }),
      ecommerceEvent('search', { timestamp: t + 4 }),
    ];
    // a day later on the same partition: every window above closes (per-customer metrics emit
    // finals only)
    const closer = ecommerceEvent('search', {
      timestamp: t + 86_400_000,
      customer_id: 'cust-999',
      event_id: 'closer',
    });
    const outputs = [...engine.process(0, events, 0), ...engine.process(0, [closer], 0)];
    const results = outputs.filter(
      (r): r is WindowResult => r.kind === 'result' && r.windowStartMs < t + 3_600_000,
    );
    const of = (name: string, key?: Record<string, unknown>) =>
      results.find(
        (r) => r.metric === name && (!key || JSON.stringify(r.key) === JSON.stringify(key)),
      )?.values;
    expect(of('customer_activity', { customer_id: 'cust-001', location: 'US' })).toEqual({
      event_count: 4,
      purchase_count: 1,
      total_spent: 1_500,
    });
    expect(of('category_funnel', { product_category: 'electronics' })).toEqual({
      views: 1,
      clicks: 0,
      carts: 1,
      purchases: 2,
    });
    expect(of('purchase_metrics')).toEqual({
      total_orders: 2,
      total_revenue: 2_000,
      max_order_value: 1_500,
      min_order_value: 500,
      unique_buyers: 2,
    });
    expect(of('category_revenue', { product_category: 'electronics' })).toEqual({
      total_revenue: 2_000,
    });
    expect(of('category_activity', { product_category: 'electronics' })).toEqual({
      event_count: 4,
    });
  });
});
