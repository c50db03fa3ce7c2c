import { z } from 'zod';
import { ServiceConfigError } from './errors';

/**
 * Where the four backing services live. The same env names are read by every app, the tests and
 * the local launcher, whichever backend (local processes or Docker compose) runs the services.
 */
export interface ServiceEndpoints {
  /** `host:port` pairs, from KAFKA_BROKERS (comma separated). */
  readonly kafkaBrokers: readonly string[];
  /** Base URL of a Confluent-compatible registry API, from SCHEMA_REGISTRY_URL. */
  readonly schemaRegistryUrl: string;
  readonly elasticsearchUrl: string;
  /** A `postgres://user:password@host:port/database` URL, from DATABASE_URL. */
  readonly databaseUrl: string;
}

/**
 * Local defaults: loopback only. The registry path is Apicurio's Confluent-compatible API (the
 * local backend); with the Docker backend's Confluent registry set SCHEMA_REGISTRY_URL to the root.
 * The database password is a local development default, not a secret: override DATABASE_URL.
 */
export const DEFAULT_ENDPOINTS: ServiceEndpoints = {
  kafkaBrokers: ['127.0.0.1:9092'],
  schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
  elasticsearchUrl: 'http://127.0.0.1:9200',
  databaseUrl: 'postgres://analytics:analytics@127.0.0.1:5432/analytics',
};

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const brokers = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .refine(
            (b) => hostPort.test(b) && Number(b.split(':').pop()) <= 65_535,
            'expected host:port',
          ),
      )
      .min(1, 'expected at least one host:port'),
  );

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'expected postgres://user:password@host:port/db',
});

const envSchema = z.object({
  KAFKA_BROKERS: brokers.optional(),
  SCHEMA_REGISTRY_URL: httpUrl.optional(),
  ELASTICSEARCH_URL: httpUrl.optional(),
  DATABASE_URL: postgresUrl.optional(),
});

/**
 * Reads the endpoints from `env`, falling back to the local defaults; reports every bad value at
 * once.
 */
export function loadServiceEndpoints(env: NodeJS.ProcessEnv = process.env): ServiceEndpoints {
  const parsed = envSchema.safeParse(pickDefined(env));
  if (!parsed.success) {
    throw new ServiceConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}=${redact(env[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const v = parsed.data;
  return {
    kafkaBrokers: v.KAFKA_BROKERS ?? DEFAULT_ENDPOINTS.kafkaBrokers,
    schemaRegistryUrl: stripTrailingSlash(
      v.SCHEMA_REGISTRY_URL ?? DEFAULT_ENDPOINTS.schemaRegistryUrl,
    ),
    elasticsearchUrl: stripTrailingSlash(v.ELASTICSEARCH_URL ?? DEFAULT_ENDPOINTS.elasticsearchUrl),
    databaseUrl: v.DATABASE_URL ?? DEFAULT_ENDPOINTS.databaseUrl,
  };
}

/** Empty strings count as unset, so `FOO= cmd` falls back to the default instead of failing. */
function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = Object.keys(envSchema.shape);
  return Object.fromEntries(names.filter((n) => env[n]).map((n) => [n, env[n] as string]));
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Hides the password of a URL so that error messages and logs never carry it. */
export function redact(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
