import { Command, Option } from 'commander';
import { Pool } from 'pg';
import { z } from 'zod';
import {
  flagProblems,
  loadServiceCredentials,
  loadServiceEndpoints,
  redact,
  ServiceConfigError,
  withUsageErrors,
} from '@rta/service-config';
import { toMillis, type Duration } from '@rta/windowing';
import { PipelineWatcher } from './pipeline-status';
import { readResults } from './queries';
import { startDashboardServer } from './server';

const cli = withUsageErrors(new Command('dashboard'))
  .description(
    "The live dashboard: game, e-commerce and pipeline numbers from PostgreSQL and the apps' /metrics, updated every second (DATABASE_URL).",
  )
  .addOption(
    new Option('--http-host <host>', 'address to serve on')
      .env('DASHBOARD_HTTP_HOST')
      .default('127.0.0.1'),
  )
  .addOption(
    new Option('--http-port <port>', 'port (0: any free port)')
      .env('DASHBOARD_HTTP_PORT')
      .default('8090'),
  )
  .addOption(
    new Option('--aggregator-url <url>', "the aggregator's operations address")
      .env('AGGREGATOR_URL')
      .default('http://127.0.0.1:9464'),
  )
  .addOption(
    new Option('--simulator-url <url>', "the simulator's metrics address")
      .env('SIMULATOR_URL')
      .default('http://127.0.0.1:9465'),
  )
  .addOption(
    new Option('--range <duration>', 'how far back (in event time) the panels look')
      .env('DASHBOARD_RANGE')
      .default('15m'),
  )
  .addOption(
    new Option('--interval <duration>', 'how often the page updates')
      .env('DASHBOARD_INTERVAL')
      .default('1s'),
  );

const duration = z.string().transform((text, ctx) => {
  try {
    return toMillis(text as Duration);
  } catch {
    ctx.addIssue({ code: 'custom', message: "expected a duration like '1s', '15m'" });
    return z.NEVER;
  }
});
const schema = z.object({
  httpHost: z.string().min(1),
  httpPort: z.coerce.number().int().min(0).max(65_535),
  aggregatorUrl: z.url(),
  simulatorUrl: z.url(),
  range: duration,
  interval: duration.pipe(z.number().min(200)),
});

class OptionsError extends Error {}

async function main(): Promise<void> {
  const o = parseOptions();
  const endpoints = loadServiceEndpoints();
  const pool = resultsPool(endpoints.databaseUrl);
  const pipeline = new PipelineWatcher(
    o.aggregatorUrl.replace(/\/$/, ''),
    o.simulatorUrl.replace(/\/$/, ''),
  );
  const snapshot = async () => {
    const now = Date.now();
    const [results, status] = await Promise.all([
      readResults(pool, now - o.range, now + 60_000),
      pipeline.read(now),
    ]);
    return { atMs: now, rangeMs: o.range, results, pipeline: status };
  };
  const { url } = await startDashboardServer({
    host: o.httpHost,
    port: o.httpPort,
    intervalMs: o.interval,
    snapshot,
  });
  process.stderr.write(
    `[dashboard] ${url} (results from ${redact(endpoints.databaseUrl)}, pipeline from ${o.aggregatorUrl} and ${o.simulatorUrl})\n`,
  );
  const stop = () => void pool.end().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The flags and their env twins, every wrong one reported at once. */
function parseOptions(): z.output<typeof schema> {
  const raw = cli.parse().opts();
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new OptionsError(
      `invalid options:\n  ${flagProblems(parsed.error.issues, raw).join('\n  ')}`,
    );
  return parsed.data;
}

/** The pool the panels read from, over TLS with DATABASE_CA_FILE when one is given. */
function resultsPool(databaseUrl: string): Pool {
  const ca = loadServiceCredentials().databaseCa;
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 2,
    ...(ca ? { ssl: { ca } } : {}),
  });
  pool.on('error', () => undefined); // a dropped idle connection: the next reading reconnects
  return pool;
}

main().catch((error: unknown) => {
  process.stderr.write(`dashboard: ${(error as Error).message}\n`);
  process.exit(error instanceof OptionsError || error instanceof ServiceConfigError ? 2 : 1);
});
