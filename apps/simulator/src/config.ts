import { z } from 'zod';
import {
  flagProblems,
  loadServiceCredentials,
  loadServiceEndpoints,
  ServiceCredentials,
} from '@rta/service-config';
import { toMillis } from '@rta/windowing';
import type { ChaosOptions, RatePlan } from '@rta/simulation';

const ratio = z.coerce.number().min(0).max(1);
const duration = z.string().transform((text, ctx) => {
  try {
    return toMillis(/^\d+$/.test(text) ? Number(text) : text);
  } catch {
    ctx.addIssue({ code: 'custom', message: "expected a duration like '500ms', '30s', '15m'" });
    return z.NEVER;
  }
});
const positiveInt = z.coerce.number().int().positive();
const startTime = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms))
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 time or epoch milliseconds' });
  return ms;
});

/** Every flag (and its env twin) the simulator accepts, validated together. */
const optionsSchema = z.object({
  scenario: z.enum(['game', 'ecommerce', 'both']),
  rate: z.union([z.literal('max'), z.coerce.number().positive().max(10_000_000)]),
  eventRate: z.coerce.number().positive(),
  count: positiveInt.optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  startTime: startTime.optional(),
  players: positiveInt.max(10_000_000),
  customers: positiveInt.max(10_000_000),
  products: positiveInt.max(1_000_000),
  partitions: positiveInt.max(1_000),
  replicationFactor: positiveInt.max(10),
  gameTopic: z.string().min(1),
  ecommerceTopic: z.string().min(1),
  burstEvery: duration.optional(),
  burstDuration: duration.optional(),
  burstFactor: z.coerce.number().positive().optional(),
  outOfOrderRatio: ratio,
  outOfOrderMaxDelay: duration,
  lateRatio: ratio,
  lateDelay: duration,
  delayDistribution: z.enum(['uniform', 'exponential']),
  duplicateRatio: ratio,
  malformedRatio: ratio,
  batchSize: positiveInt.max(100_000),
  dump: z.string().min(1).optional(),
  quiet: z.boolean().optional(),
  httpHost: z.string().min(1),
  httpPort: z.coerce.number().int().min(0).max(65_535),
});

export type SimulatorOptions = z.output<typeof optionsSchema>;

export interface SimulatorConfig {
  readonly scenarios: readonly ('game' | 'ecommerce')[];
  readonly options: SimulatorOptions;
  readonly seed: number;
  readonly startTimeMs: number;
  readonly plan: RatePlan;
  readonly chaos: ChaosOptions;
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  /** Kafka TLS/SASL and registry auth from the env, as the aggregator reads them. */
  readonly credentials: ServiceCredentials;
}

export class ConfigError extends Error {
  readonly code = 'SIMULATOR_CONFIG_INVALID';
}

/** Validates the raw flags, reporting every wrong one at once. */
export function buildConfig(
  raw: Record<string, unknown>,
  nowMs: number,
  randomSeed: number,
): SimulatorConfig {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid options:\n  ${flagProblems(parsed.error.issues, raw).join('\n  ')}`,
    );
  }
  const o = parsed.data;
  const plan = ratePlanOf(o);
  const endpoints = loadServiceEndpoints();
  return {
    scenarios: o.scenario === 'both' ? ['game', 'ecommerce'] : [o.scenario],
    options: o,
    seed: o.seed ?? randomSeed,
    startTimeMs: o.startTime ?? nowMs,
    plan,
    chaos: chaosOf(o),
    brokers: endpoints.kafkaBrokers,
    registryUrl: endpoints.schemaRegistryUrl,
    credentials: loadServiceCredentials(),
  };
}

/** The rate (of event time, with --rate max) and the bursts, which take all three burst flags. */
function ratePlanOf(o: SimulatorOptions): RatePlan {
  const bursts = [o.burstEvery, o.burstDuration, o.burstFactor].filter(
    (v) => v !== undefined,
  ).length;
  if (bursts !== 0 && bursts !== 3)
    throw new ConfigError('bursts need all of --burst-every, --burst-duration and --burst-factor');
  if (
    bursts === 3 &&
    !((o.burstEvery as number) > (o.burstDuration as number) && (o.burstDuration as number) > 0)
  ) {
    throw new ConfigError('bursts need 0 < --burst-duration < --burst-every');
  }
  return {
    ratePerSec: o.rate === 'max' ? o.eventRate : o.rate,
    ...(bursts === 3
      ? {
          burst: {
            everyMs: o.burstEvery as number,
            durationMs: o.burstDuration as number,
            factor: o.burstFactor as number,
          },
        }
      : {}),
  };
}

function chaosOf(o: SimulatorOptions): ChaosOptions {
  return {
    outOfOrderRatio: o.outOfOrderRatio,
    outOfOrderMaxDelayMs: o.outOfOrderMaxDelay,
    lateRatio: o.lateRatio,
    lateDelayMs: o.lateDelay,
    delayDistribution: o.delayDistribution,
    duplicateRatio: o.duplicateRatio,
    malformedRatio: o.malformedRatio,
  };
}
