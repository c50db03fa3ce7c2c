import { availableParallelism } from 'node:os';
import { buildCli } from './cli';
import { buildConfig, ConfigError } from './config';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return buildConfig(
      buildCli()
        .exitOverride()
        .parse(['node', 'aggregator', ...args])
        .opts(),
      env,
    );
  } finally {
    process.env = saved;
  }
};

describe('aggregator configuration', () => {
  it("defaults to both streams, the seeds' windows and loopback", () => {
    const c = parse([]);
    expect(c.streams).toEqual(['game', 'ecommerce']);
    expect(c.flags).toMatchObject({
      groupId: 'rta-aggregator',
      httpHost: '127.0.0.1',
      httpPort: 9464,
      flushInterval: 250,
      checkpointInterval: 30_000,
      dedupeHorizon: 600_000,
    });
    expect(c.gameOverrides).toEqual({});
  });

  it('takes per-metric overrides from AGGREGATOR_METRIC_OVERRIDES, split by stream; --metric flags replace the variable', () => {
    const c = parse([], {
      AGGREGATOR_METRIC_OVERRIDES:
        'game_events_per_region.watermark-delay=5m,user_activity.window=hopping:10m/2m,session_metrics.emit=final',
    });
    expect(c.gameOverrides).toEqual({ game_events_per_region: { watermarkDelay: 300_000 } });
    expect(Object.keys(c.ecommerceOverrides).sort()).toEqual(['session_metrics', 'user_activity']);
    expect(c.ecommerceOverrides['user_activity']?.window).toMatchObject({
      kind: 'hopping',
      sizeMs: 600_000,
      advanceMs: 120_000,
    });
    const flagged = parse(
      [
        '--metric',
        'event_counts.allowed-lateness=1m',
        '--metric',
        'device_stats.window=tumbling:5m',
      ],
      { AGGREGATOR_METRIC_OVERRIDES: 'session_metrics.emit=final' },
    );
    expect(flagged.ecommerceOverrides).toEqual({
      event_counts: { allowedLateness: 60_000 },
      device_stats: { window: expect.objectContaining({ kind: 'tumbling', sizeMs: 300_000 }) },
    });
  });

  it('computes only the metrics --metrics names (or AGGREGATOR_METRICS), consuming only their streams', () => {
    const ecommerce = parse(['--metrics', 'product_views,category_revenue']);
    expect(ecommerce.streams).toEqual(['ecommerce']);
    expect([...(ecommerce.metrics ?? [])]).toEqual(['product_views', 'category_revenue']);
    const both = parse([], { AGGREGATOR_METRICS: 'game_events_per_region, category_activity' });
    expect(both.streams).toEqual(['game', 'ecommerce']);
    expect(both.metrics?.has('category_activity')).toBe(true);
    expect(parse([]).metrics).toBeUndefined();
  });

  it('refuses unknown metric names, names outside --streams, an empty list and overrides in AGGREGATOR_METRICS', () => {
    expect(() => parse(['--metrics', 'product_views,nope'])).toThrow(
      /--metrics: unknown metric nope \(known: .*product_views/,
    );
    expect(() => parse(['--streams', 'game', '--metrics', 'product_views'])).toThrow(
      /product_views belong to a stream --streams leaves out \(game\)/,
    );
    expect(() => parse(['--metrics', ','])).toThrow(/name at least one metric/);
    expect(() => parse([], { AGGREGATOR_METRICS: 'session_metrics.emit=final' })).toThrow(
      /look like overrides; those go to --metric or AGGREGATOR_METRIC_OVERRIDES/,
    );
  });

  it('sets aside the saved state of the metrics --reset-state names (or AGGREGATOR_RESET_STATE), refusing unknown ones', () => {
    expect(parse([]).resetState).toEqual(new Set());
    expect(parse(['--reset-state', 'product_views,category_revenue']).resetState).toEqual(
      new Set(['product_views', 'category_revenue']),
    );
    expect(() => parse(['--reset-state', 'product_views,nope'])).toThrow(
      /--reset-state: unknown metric nope/,
    );
  });

  it('reports every wrong value at once, naming the flag and what is expected', () => {
    const attempt = () =>
      parse([
        '--flush-interval',
        'soon',
        '--http-port',
        '70000',
        '--metric',
        'nope.window=tumbling:1m',
        '--metric',
        'user_activity.window=weekly',
        '--dedupe-horizon',
        'off',
      ]);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /--flush-interval=soon: expected a duration[\s\S]*--http-port=70000[\s\S]*user_activity.window=weekly: window is tumbling[\s\S]*unknown metric nope/,
    );
  });

  it('runs one member by default; --members takes a count or auto (one per core)', () => {
    expect(parse([]).flags.members).toBe(1);
    expect(parse(['--members', '3']).flags.members).toBe(3);
    expect(parse([], { AGGREGATOR_MEMBERS: 'auto' }).flags.members).toBe(availableParallelism());
    expect(() => parse(['--members', '0'])).toThrow(/--members=0/);
  });

  it('turns de-duplication off with --dedupe-horizon off, and refuses checkpoints more frequent than flushes', () => {
    expect(parse(['--dedupe-horizon', 'off']).flags.dedupeHorizon).toBe('off');
    expect(() => parse(['--flush-interval', '2s', '--checkpoint-interval', '1s'])).toThrow(
      /--checkpoint-interval must be at least --flush-interval/,
    );
  });
});
