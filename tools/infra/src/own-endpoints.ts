import { DEFAULT_ENDPOINTS } from '@rta/service-config';

export type ConcreteBackend = 'local' | 'docker';

/**
 * Confluent's registry (the compose stack) serves its API at the root; Apicurio (local) under this
 * path.
 */
const APICURIO_CONFLUENT_PATH = /\/apis\/ccompat\/v7$/;

/**
 * The endpoint variables, set to the services a backend runs with its defaults (what `env` prints).
 */
export function ownEndpointVariables(backend: ConcreteBackend): Record<string, string> {
  const e = DEFAULT_ENDPOINTS;
  return {
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL:
      backend === 'docker'
        ? e.schemaRegistryUrl.replace(APICURIO_CONFLUENT_PATH, '')
        : e.schemaRegistryUrl,
    ELASTICSEARCH_URL: e.elasticsearchUrl,
    DATABASE_URL: e.databaseUrl,
  };
}

/**
 * The endpoint variables set to something other than the backend's own services: the main job
 * then uses those and starts nothing. Values `env` printed for this backend do not count, so
 * `eval "$(… env)"` followed by `npm start` still starts the stack.
 */
export function configuredElsewhere(env: NodeJS.ProcessEnv, backend: ConcreteBackend): string[] {
  const own = ownEndpointVariables(backend);
  return Object.keys(own).filter((name) => {
    const value = env[name]?.replace(/\/+$/, '');
    return value !== undefined && value !== '' && value !== own[name];
  });
}

/** What the apps need to reach the compose registry; undefined when the env already says so. */
export function registryHintFor(
  env: NodeJS.ProcessEnv,
  backend: ConcreteBackend,
): string | undefined {
  if (
    backend !== 'docker' ||
    env['SCHEMA_REGISTRY_URL']?.replace(/\/+$/, '') ===
      ownEndpointVariables('docker')['SCHEMA_REGISTRY_URL']
  )
    return undefined;
  return (
    'the compose stack runs Confluent Schema Registry, which serves its API at the root: for the apps and tests ' +
    'run `eval "$(npx tsx --tsconfig tools/infra/tsconfig.json tools/infra/src/cli.ts env --backend docker)"` first ' +
    `(it sets SCHEMA_REGISTRY_URL=${ownEndpointVariables('docker')['SCHEMA_REGISTRY_URL']} for the apps)`
  );
}
