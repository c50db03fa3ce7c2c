import { readFileSync } from 'node:fs';
import type { ClientOptions } from './sink';

/**
 * Client options from the environment: ELASTICSEARCH_URL, and optionally ELASTICSEARCH_API_KEY
 * or ELASTICSEARCH_USERNAME + ELASTICSEARCH_PASSWORD, and ELASTICSEARCH_CA_FILE (a PEM) for TLS.
 * The options hold secrets: never log them.
 */
export function clientOptionsFromEnv(
  node: string,
  env: NodeJS.ProcessEnv = process.env,
): ClientOptions {
  const apiKey = env['ELASTICSEARCH_API_KEY'];
  const username = env['ELASTICSEARCH_USERNAME'];
  const caFile = env['ELASTICSEARCH_CA_FILE'];
  return {
    node,
    ...(apiKey
      ? { auth: { apiKey } }
      : username
        ? { auth: { username, password: env['ELASTICSEARCH_PASSWORD'] ?? '' } }
        : {}),
    ...(caFile ? { tls: { ca: readFileSync(caFile, 'utf8') } } : {}),
  };
}
