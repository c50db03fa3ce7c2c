import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ServiceConfigError } from './errors';

/**
 * How the apps authenticate to the services. Holds secrets: never log it (see
 * `describeCredentials`).
 */
export interface ServiceCredentials {
  readonly kafkaTls?: true | { readonly ca: string };
  readonly kafkaSasl?: {
    readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain';
    readonly username: string;
    readonly password: string;
  };
  readonly registryAuth?: { readonly username: string; readonly password: string };
  /** PEM CA for PostgreSQL TLS (credentials themselves travel in DATABASE_URL). */
  readonly databaseCa?: string;
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const credentialsSchema = z.object({
  KAFKA_TLS: bool.optional(),
  KAFKA_TLS_CA_FILE: z.string().optional(),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-256', 'scram-sha-512', 'plain']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
  DATABASE_CA_FILE: z.string().optional(),
});

/**
 * Reads KAFKA_TLS / KAFKA_TLS_CA_FILE, KAFKA_SASL_MECHANISM / _USERNAME / _PASSWORD,
 * SCHEMA_REGISTRY_USERNAME / _PASSWORD and DATABASE_CA_FILE; reports every problem at once,
 * naming the variable but never echoing a secret.
 */
export function loadServiceCredentials(env: NodeJS.ProcessEnv = process.env): ServiceCredentials {
  const v = parseCredentialVariables(env);
  const problems = pairingProblems(v);
  const kafkaCa = readPem('KAFKA_TLS_CA_FILE', v.KAFKA_TLS_CA_FILE, problems);
  const databaseCa = readPem('DATABASE_CA_FILE', v.DATABASE_CA_FILE, problems);
  if (problems.length > 0) throw new ServiceConfigError(problems);
  const sasl = v.KAFKA_SASL_MECHANISM;
  const registryUser = v.SCHEMA_REGISTRY_USERNAME;
  return {
    ...(kafkaCa ? { kafkaTls: { ca: kafkaCa } } : v.KAFKA_TLS ? { kafkaTls: true as const } : {}),
    ...(sasl
      ? {
          kafkaSasl: {
            mechanism: sasl,
            username: v.KAFKA_SASL_USERNAME as string,
            password: v.KAFKA_SASL_PASSWORD as string,
          },
        }
      : {}),
    ...(registryUser
      ? { registryAuth: { username: registryUser, password: v.SCHEMA_REGISTRY_PASSWORD as string } }
      : {}),
    ...(databaseCa ? { databaseCa } : {}),
  };
}

type CredentialVariables = z.output<typeof credentialsSchema>;

/** The credential variables that are set, each checked on its own. */
function parseCredentialVariables(env: NodeJS.ProcessEnv): CredentialVariables {
  const names = Object.keys(credentialsSchema.shape).filter((n) => env[n]);
  const parsed = credentialsSchema.safeParse(
    Object.fromEntries(names.map((n) => [n, env[n] as string])),
  );
  if (parsed.success) return parsed.data;
  throw new ServiceConfigError(
    parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`),
  );
}

/** Variables that only work together. */
function pairingProblems(v: CredentialVariables): string[] {
  const problems: string[] = [];
  const sasl = v.KAFKA_SASL_MECHANISM;
  if (sasl && (!v.KAFKA_SASL_USERNAME || !v.KAFKA_SASL_PASSWORD)) {
    problems.push('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  if (!sasl && (v.KAFKA_SASL_USERNAME || v.KAFKA_SASL_PASSWORD)) {
    problems.push(
      'KAFKA_SASL_USERNAME/PASSWORD need KAFKA_SASL_MECHANISM (scram-sha-256, scram-sha-512 or plain)',
    );
  }
  if (Boolean(v.SCHEMA_REGISTRY_USERNAME) !== Boolean(v.SCHEMA_REGISTRY_PASSWORD)) {
    problems.push('SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together');
  }
  return problems;
}

/** What is configured, without a secret: for start-up logs. */
export function describeCredentials(c: ServiceCredentials): string {
  const kafka = [
    c.kafkaTls ? 'TLS' : 'plaintext',
    c.kafkaSasl ? `SASL ${c.kafkaSasl.mechanism} as ${c.kafkaSasl.username}` : 'no SASL',
  ].join(', ');
  return `kafka: ${kafka}; registry: ${c.registryAuth ? `basic auth as ${c.registryAuth.username}` : 'no auth'}; postgres TLS CA: ${c.databaseCa ? 'yes' : 'no'}`;
}

function readPem(name: string, file: string | undefined, problems: string[]): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(
      `${name}=${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
    return undefined;
  }
}
