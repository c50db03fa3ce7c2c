import { join } from 'node:path';
import { ensureDistribution, unpackArtifact } from '../distributions';
import { findJava } from '../java';
import { MavenArtifact } from '../maven';
import { httpOk } from '../net';
import { parseHostPort, ServiceSpec } from './types';

const APICURIO: MavenArtifact = {
  groupId: 'io.apicurio',
  artifactId: 'apicurio-registry-app',
  version: process.env['RTA_APICURIO_VERSION'] || '3.3.3',
  type: 'tar.gz',
  classifier: 'all',
};

/** The path under which Apicurio serves the Confluent Schema Registry API. */
const CONFLUENT_API_PATH = '/apis/ccompat/v7';

/**
 * Apicurio Registry, a Quarkus app, speaking the Confluent API. Storage is an H2 *file* database,
 * not the in-memory default: Kafka keeps its data across restarts, and every message carries a
 * schema id, so the ids must survive a registry restart too.
 */
export function schemaRegistryService(registryUrl: string): ServiceSpec {
  const { host, port } = parseHostPort(registryUrl);
  const base = `http://${host}:${port}${CONFLUENT_API_PATH}`;
  return {
    name: 'schema-registry',
    host,
    port,
    url: base,
    stopSignal: 'SIGTERM',
    startTimeoutMs: 90_000,
    async prepare(ctx) {
      const java = findJava('schema-registry', 21, ['REGISTRY_JAVA_HOME']);
      const dist = await ensureDistribution(
        `apicurio-registry-${APICURIO.version}`,
        async (dir) => {
          ctx.progress(
            `fetching ${APICURIO.groupId}:${APICURIO.artifactId}:${APICURIO.version} (Maven)`,
          );
          await unpackArtifact('schema-registry', APICURIO, dir);
        },
      );
      return {
        command: java.java,
        args: [
          ...['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true'],
          `-Dquarkus.http.host=${host}`,
          `-Dquarkus.http.port=${port}`,
          '-Dapicurio.storage.kind=sql',
          '-Dapicurio.storage.sql.kind=h2',
          `-Dapicurio.datasource.url=jdbc:h2:file:${join(ctx.dirs.data, 'registry')}`,
          ...['-jar', join(dist, 'quarkus-run.jar')],
        ],
        cwd: ctx.dirs.run,
      };
    },
    isHealthy: () => httpOk(`${base}/subjects`),
  };
}
