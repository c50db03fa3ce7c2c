import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { Pool } from 'pg';
import { loadServiceEndpoints } from '@rta/service-config';
import { aggregatorUrlOf, App, ROOT, startApp, until } from './testing/processes';

/**
 * The real page in Debian's Chromium (no browser download), with real data flowing: simulator →
 * Kafka → aggregator → PostgreSQL → dashboard. Once the run is drained, every number the page
 * shows equals a query of PostgreSQL over the same range at the same moment.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const id = `dash-${Date.now().toString(36)}`;
const apps: App[] = [];
let browser: Browser | undefined;
const pool = new Pool({ connectionString: loadServiceEndpoints().databaseUrl, max: 2 });

function start(app: string, args: string[], env: NodeJS.ProcessEnv = {}): App {
  const started = startApp(app, args, { env });
  apps.push(started);
  return started;
}

afterAll(async () => {
  await browser?.close();
  for (const app of apps) app.child.kill('SIGKILL');
  await pool.end();
});

const RANGE = 'window_start >= $1 AND window_start < $2';
async function sql(query: string, atMs: number): Promise<Record<string, string>[]> {
  return (await pool.query(query, [new Date(atMs - 15 * 60_000), new Date(atMs + 60_000)])).rows;
}

it('shows the live numbers of PostgreSQL, renders its charts, and keeps a screenshot', async () => {
  const topics = { GAME_TOPIC: `${id}-game`, ECOMMERCE_TOPIC: `${id}-shop` };
  const agg = start(
    'aggregator',
    [
      '--http-port',
      '0',
      '--group-id',
      id,
      '--dead-letter-topic',
      `${id}-dead`,
      '--late-topic',
      `${id}-late`,
      '--flush-interval',
      '250ms',
    ],
    topics,
  );
  const aggregatorUrl = await aggregatorUrlOf(agg);
  const sim = start(
    'simulator',
    [
      '--quiet',
      '--http-port',
      '0',
      '--count',
      '3000',
      '--rate',
      'max',
      '--event-rate',
      '20',
      '--start-time',
      String(Date.now() - 120_000),
    ],
    topics,
  );
  await until('the simulator to finish', () =>
    sim.child.exitCode === null ? undefined : sim.child.exitCode,
  );
  await until('the aggregator to drain', async () => {
    const metrics = await (await fetch(`${aggregatorUrl}/metrics`)).text();
    const consumed = [
      ...metrics.matchAll(/^rta_events_in_total\{topic="dash-[^"]+"\} (\d+)/gm),
    ].reduce((n, m) => n + Number(m[1]), 0);
    return consumed >= 6_000 ? true : undefined;
  });
  await new Promise((r) => setTimeout(r, 2_000)); // the last flush lands
  const dashboard = start('dashboard', ['--http-port', '0', '--aggregator-url', aggregatorUrl]);
  const url = await until(
    'the dashboard',
    () => /\[dashboard\] (http:\/\/\S+)/.exec(dashboard.output())?.[1],
  );
  expect(await (await fetch(`${url}/health`)).json()).toEqual({ alive: true }); // the container health check

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(url);
  await page.waitForSelector('[data-testid="game-events"]');
  await page.waitForTimeout(1_500); // a couple of updates: the rate cards have a previous reading
  const value = async (testid: string) =>
    Number(await page.getAttribute(`[data-testid="${testid}"]`, 'data-value'));
  const atMs = await value('updated');

  expect(await value('game-events')).toBe(
    Number(
      (
        await sql(
          `SELECT coalesce(sum(event_count), 0) AS n FROM game_live_event_count WHERE ${RANGE}`,
          atMs,
        )
      )[0]?.['n'],
    ),
  );
  expect(await value('game-events')).toBeGreaterThan(0);
  expect(await value('shop-views')).toBe(
    Number(
      (
        await sql(
          `SELECT coalesce(sum(view_count), 0) AS n FROM product_view_window WHERE ${RANGE}`,
          atMs,
        )
      )[0]?.['n'],
    ),
  );
  for (const row of await sql(
    `SELECT region, sum(revenue) AS revenue FROM game_revenue_per_region WHERE ${RANGE} GROUP BY region`,
    atMs,
  )) {
    expect({ region: row['region'], revenue: await value(`revenue-${row['region']}`) }).toEqual({
      region: row['region'],
      revenue: Number(row['revenue']),
    });
  }
  for (const row of await sql(
    `SELECT category, sum(views) AS views, sum(purchases) AS purchases FROM category_funnel WHERE ${RANGE} GROUP BY category`,
    atMs,
  )) {
    expect([
      await value(`funnel-${row['category']}-views`),
      await value(`funnel-${row['category']}-purchases`),
    ]).toEqual([Number(row['views']), Number(row['purchases'])]);
  }
  const [top] = await sql(
    `SELECT product_id, sum(view_count) AS views FROM product_view_window WHERE ${RANGE} GROUP BY product_id ORDER BY views DESC, product_id LIMIT 1`,
    atMs,
  );
  expect(await value(`top-${top?.['product_id']}`)).toBe(Number(top?.['views']));

  const canvas = await page.locator('[data-testid="regions-chart"] canvas').first().boundingBox();
  expect(canvas?.width ?? 0).toBeGreaterThan(300);
  expect(
    await page.locator('[data-testid="regions-chart"] .u-legend .u-series').count(),
  ).toBeGreaterThan(3); // a series per region
  expect(await page.getAttribute('[data-testid="health-postgres"]', 'data-value')).toBe('true');
  expect(await value('pipeline-lag')).toBe(0);

  mkdirSync(resolve(ROOT, 'dist', 'screenshots'), { recursive: true });
  await page.screenshot({
    path: resolve(ROOT, 'dist', 'screenshots', 'dashboard.png'),
    fullPage: true,
  });
});
