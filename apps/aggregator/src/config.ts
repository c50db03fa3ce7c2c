import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ECOMMERCE_CATALOG, GAME_CATALOG, MetricOverrides } from '@rta/metrics-catalog';
import {
  flagProblems,
  loadServiceCredentials,
  loadServiceEndpoints,
  ServiceCredentials,
  ServiceEndpoints,
} from '@rta/service-config';
import { Duration, toMillis } from '@rta/windowing';
import { parseMetricOverrides } from './metric-overrides';
import { MetricSelection, selectMetrics, StreamName } from './metric-selection';

const duration = z.string().transform((text, ctx) => {
  try {
    return toMillis(/^\d+$/.test(text) ? Number(text) : (text as Duration));
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: "expected a duration like '500ms', '30s', '15m', '7d'",
    });
    return z.NEVER;
  }
});
const topic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name');

/** Every flag (and its env twin) the aggregator accepts, validated together. */
const optionsSchema = z.object({
  streams: z.enum(['game', 'ecommerce', 'both']),
  groupId: z.string().min(1),
  gameTopic: topic,
  ecommerceTopic: topic,
  deadLetterTopic: topic,
  lateTopic: topic,
  partitions: z.coerce.number().int().positive().max(1_000),
  flushInterval: duration.pipe(z.number().min(50, 'at least 50ms')),
  checkpointInterval: duration,
  dedupeHorizon: z.union([z.literal('off'), duration.pipe(z.number().positive())]),
  idleTimeout: duration,
  maxEventAge: duration,
  maxEventFuture: duration,
  sessionTimeout: duration.pipe(
    z.number().min(6_000, 'at least 6s (the broker minimum)').max(300_000),
  ),
  shutdownTimeout: duration,
  metric: z.array(z.string()).default([]),
  metrics: z.array(z.string()).optional(),
  resetState: z.array(z.string()).default([]),
  members: z.union([
    z.literal('auto').transform(() => availableParallelism()),
    z.coerce.number().int().positive().max(64),
  ]),
  httpHost: z.string().min(1),
  httpPort: z.coerce.number().int().min(0).max(65_535),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
});

export type AggregatorFlags = z.output<typeof optionsSchema>;

export interface AggregatorConfig {
  readonly flags: AggregatorFlags;
  /** The streams consumed: those of --streams that keep a metric after --metrics. */
  readonly streams: readonly StreamName[];
  /** --metrics: undefined computes every catalog metric of the streams. */
  readonly metrics: ReadonlySet<string> | undefined;
  /** --reset-state: metrics whose saved state is set aside at start. */
  readonly resetState: ReadonlySet<string>;
  readonly gameOverrides: Record<string, MetricOverrides>;
  readonly ecommerceOverrides: Record<string, MetricOverrides>;
  readonly endpoints: ServiceEndpoints;
  readonly credentials: ServiceCredentials;
}

export class ConfigError extends Error {
  readonly code = 'AGGREGATOR_CONFIG_INVALID';
}

/** Validates flags and environment, reporting every wrong value at once. */
export function buildConfig(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): AggregatorConfig {
  const parsed = optionsSchema.safeParse(raw);
  const problems = parsed.success ? [] : flagProblems(parsed.error.issues, raw);
  const metricFlags = checkMetricFlags(raw);
  if (!parsed.success || metricFlags.problems.length > 0)
    throw new ConfigError(
      `invalid options:\n  ${[...problems, ...metricFlags.problems].join('\n  ')}`,
    );
  const flags = parsed.data;
  if (flags.checkpointInterval < flags.flushInterval)
    throw new ConfigError(
      '--checkpoint-interval must be at least --flush-interval (checkpoints are taken at flushes)',
    );
  return {
    flags,
    streams: metricFlags.selection.streams,
    metrics: metricFlags.selection.metrics,
    resetState: new Set(metricFlags.resetState),
    gameOverrides: metricFlags.gameOverrides,
    ecommerceOverrides: metricFlags.ecommerceOverrides,
    endpoints: loadServiceEndpoints(env),
    credentials: loadServiceCredentials(env),
  };
}

/** --metric, --metrics and --reset-state read against the catalog, with what is wrong in them. */
interface MetricFlags {
  readonly selection: MetricSelection;
  readonly resetState: readonly string[];
  readonly gameOverrides: Record<string, MetricOverrides>;
  readonly ecommerceOverrides: Record<string, MetricOverrides>;
  /** In flag order: --metric, then --metrics, then --reset-state. */
  readonly problems: readonly string[];
}

/** Checks the metric flags against the catalog (and --metrics against --streams). */
function checkMetricFlags(raw: Record<string, unknown>): MetricFlags {
  const { overrides, problems } = parseMetricOverrides(
    (raw['metric'] as string[] | undefined) ?? [],
  );
  const gameNames = new Set(GAME_CATALOG.map((e) => e.spec.name));
  const ecommerceNames = new Set(ECOMMERCE_CATALOG.map((e) => e.spec.name));
  const unknown = Object.keys(overrides).filter((n) => !gameNames.has(n) && !ecommerceNames.has(n));
  if (unknown.length > 0)
    problems.push(
      `--metric: unknown metric ${unknown.join(', ')} (known: ${[...gameNames, ...ecommerceNames].join(', ')})`,
    );
  const chosen: StreamName[] =
    raw['streams'] === 'game' || raw['streams'] === 'ecommerce'
      ? [raw['streams']]
      : ['game', 'ecommerce'];
  const selection = selectMetrics(chosen, raw['metrics'] as string[] | undefined, problems);
  const resetState = (raw['resetState'] as string[] | undefined) ?? [];
  const unknownReset = resetState.filter((n) => !gameNames.has(n) && !ecommerceNames.has(n));
  if (unknownReset.length > 0)
    problems.push(`--reset-state: unknown metric ${unknownReset.join(', ')}`);
  const pick = (names: Set<string>) =>
    Object.fromEntries(Object.entries(overrides).filter(([n]) => names.has(n)));
  return {
    selection,
    resetState,
    gameOverrides: pick(gameNames),
    ecommerceOverrides: pick(ecommerceNames),
    problems,
  };
}
