import { z } from 'zod';
import { ECOMMERCE_EVENT_TYPE_SYMBOLS, GAME_EVENT_TYPE_SYMBOLS } from '@rta/event-schemas';
import {
  flagProblems,
  loadServiceCredentials,
  loadServiceEndpoints,
  ServiceCredentials,
  ServiceEndpoints,
} from '@rta/service-config';
import type { TailFilter } from './events';

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  ...GAME_EVENT_TYPE_SYMBOLS,
  ...ECOMMERCE_EVENT_TYPE_SYMBOLS,
]);

/** A misspelt --type would silently print nothing: refuse it, naming the types of both streams. */
const eventTypes = z
  .array(z.string())
  .min(1, 'expected at least one event type')
  .superRefine((types, ctx) => {
    const unknown = types.filter((t) => !KNOWN_TYPES.has(t));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown event type ${unknown.join(', ')} (game: ${GAME_EVENT_TYPE_SYMBOLS.join(', ')}; e-commerce: ${ECOMMERCE_EVENT_TYPE_SYMBOLS.join(', ')})`,
      });
    }
  });

const optionsSchema = z.object({
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name'),
  type: eventTypes.optional(),
  key: z.array(z.string()).min(1, 'expected at least one id').optional(),
  fromBeginning: z.boolean().default(false),
  max: z.coerce.number().int().positive().optional(),
  json: z.boolean().default(false),
});

export interface TailConfig {
  readonly topic: string;
  readonly filter: TailFilter;
  readonly fromBeginning: boolean;
  /** Stop after this many printed events; undefined: until a signal. */
  readonly max: number | undefined;
  readonly json: boolean;
  readonly endpoints: ServiceEndpoints;
  readonly credentials: ServiceCredentials;
}

export class TailConfigError extends Error {
  readonly code = 'TAIL_CONFIG_INVALID';
}

/**
 * Validates flags (every problem at once) and reads endpoints and credentials from the shared env
 * names.
 */
export function buildTailConfig(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): TailConfig {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success)
    throw new TailConfigError(
      `invalid options:\n  ${flagProblems(parsed.error.issues, raw).join('\n  ')}`,
    );
  const o = parsed.data;
  return {
    topic: o.topic,
    filter: {
      ...(o.type ? { types: new Set(o.type) } : {}),
      ...(o.key ? { keys: new Set(o.key) } : {}),
    },
    fromBeginning: o.fromBeginning,
    max: o.max,
    json: o.json,
    endpoints: loadServiceEndpoints(env),
    credentials: loadServiceCredentials(env),
  };
}
