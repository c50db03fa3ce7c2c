import type { Pool } from 'pg';

/** What the dashboard shows from PostgreSQL, over windows starting in [fromMs, toMs). */
export interface ResultsSnapshot {
  readonly eventsPerRegion: {
    readonly t: number;
    readonly region: string;
    readonly events: number;
  }[];
  readonly gameEvents: number;
  readonly revenueByRegion: {
    readonly region: string;
    readonly purchases: number;
    readonly revenue: number;
  }[];
  readonly productViews: number;
  readonly categories: {
    readonly category: string;
    readonly events: number;
    readonly revenue: number;
  }[];
  readonly topProducts: { readonly productId: string; readonly views: number }[];
  readonly funnel: {
    readonly category: string;
    readonly views: number;
    readonly clicks: number;
    readonly carts: number;
    readonly purchases: number;
  }[];
}

const RANGE = 'window_start >= $1 AND window_start < $2';

/** One read-only transaction: every panel sees the same moment. */
export async function readResults(
  pool: Pool,
  fromMs: number,
  toMs: number,
): Promise<ResultsSnapshot> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const q = async (sql: string) =>
      (await client.query(sql, [new Date(fromMs), new Date(toMs)])).rows as Rows;
    const rows = await queryPanels(q);
    await client.query('COMMIT');
    return snapshotOf(rows);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Rows as the driver returns them: numeric columns (sums, bigints) arrive as strings. */
type Rows = Record<string, string>[];

/** The rows behind each panel, as PostgreSQL returned them. */
interface PanelRows {
  readonly regions: Rows;
  readonly game: Rows;
  readonly revenue: Rows;
  readonly views: Rows;
  readonly categories: Rows;
  readonly top: Rows;
  readonly funnel: Rows;
}

/** Every panel's query, one after the other, over windows in the range `q` binds as $1, $2. */
async function queryPanels(q: (sql: string) => Promise<Rows>): Promise<PanelRows> {
  return {
    regions: await q(
      `SELECT (extract(epoch FROM window_start) * 1000)::bigint AS t, region, sum(event_count) AS events FROM game_events_per_region WHERE ${RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    game: await q(
      `SELECT coalesce(sum(event_count), 0) AS events FROM game_live_event_count WHERE ${RANGE}`,
    ),
    revenue: await q(
      `SELECT region, sum(purchase_count) AS purchases, sum(revenue) AS revenue FROM game_revenue_per_region WHERE ${RANGE} GROUP BY region ORDER BY region`,
    ),
    views: await q(
      `SELECT coalesce(sum(view_count), 0) AS views FROM product_view_window WHERE ${RANGE}`,
    ),
    categories: await q(`SELECT a.category, a.events, coalesce(r.revenue, 0) AS revenue
               FROM (SELECT category, sum(event_count) AS events FROM category_activity_window WHERE ${RANGE} GROUP BY category) a
               LEFT JOIN (SELECT category, sum(total_revenue) AS revenue FROM category_revenue_window WHERE ${RANGE} GROUP BY category) r USING (category)
               ORDER BY a.category`),
    top: await q(
      `SELECT product_id, sum(view_count) AS views FROM product_view_window WHERE ${RANGE} GROUP BY product_id ORDER BY views DESC, product_id LIMIT 10`,
    ),
    funnel: await q(
      `SELECT category, sum(views) AS views, sum(clicks) AS clicks, sum(carts) AS carts, sum(purchases) AS purchases FROM category_funnel WHERE ${RANGE} GROUP BY category ORDER BY category`,
    ),
  };
}

/** The panels' rows as numbers and strings, in the shape the page draws. */
function snapshotOf(rows: PanelRows): ResultsSnapshot {
  const { regions, game, revenue, views, categories, top, funnel } = rows;
  return {
    eventsPerRegion: regions.map((r) => ({
      t: Number(r['t']),
      region: String(r['region']),
      events: Number(r['events']),
    })),
    gameEvents: Number(game[0]?.['events'] ?? 0),
    revenueByRegion: revenue.map((r) => ({
      region: String(r['region']),
      purchases: Number(r['purchases']),
      revenue: Number(r['revenue']),
    })),
    productViews: Number(views[0]?.['views'] ?? 0),
    categories: categories.map((r) => ({
      category: String(r['category']),
      events: Number(r['events']),
      revenue: Number(r['revenue']),
    })),
    topProducts: top.map((r) => ({
      productId: String(r['product_id']),
      views: Number(r['views']),
    })),
    funnel: funnel.map((r) => ({
      category: String(r['category']),
      views: Number(r['views']),
      clicks: Number(r['clicks']),
      carts: Number(r['carts']),
      purchases: Number(r['purchases']),
    })),
  };
}
