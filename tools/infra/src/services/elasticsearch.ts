import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDistribution, markExecutable, unpackArtifact } from '../distributions';
import { findJava } from '../java';
import { MavenArtifact } from '../maven';
import { httpOk } from '../net';
import { parseHostPort, ServiceContext, ServiceSpec } from './types';

const ELASTICSEARCH: MavenArtifact = {
  groupId: 'org.elasticsearch.distribution.integ-test-zip',
  artifactId: 'elasticsearch',
  version: process.env['RTA_ES_VERSION'] || '9.5.4',
  type: 'zip',
};

const CLUSTER_NAME = 'rt-analytics-local';

/** Single-node Elasticsearch with security off, for local use on loopback only. */
export function elasticsearchService(elasticsearchUrl: string): ServiceSpec {
  const { host, port } = parseHostPort(elasticsearchUrl);
  return {
    name: 'elasticsearch',
    host,
    port,
    url: `http://${host}:${port}`,
    stopSignal: 'SIGTERM',
    startTimeoutMs: 120_000,
    async prepare(ctx) {
      const java = findJava('elasticsearch', 21, ['ES_JAVA_HOME']);
      const dist = await ensureDistribution(
        `elasticsearch-${ELASTICSEARCH.version}`,
        async (dir) => {
          ctx.progress(
            `fetching ${ELASTICSEARCH.groupId}:elasticsearch:${ELASTICSEARCH.version} (Maven)`,
          );
          await unpackArtifact('elasticsearch', ELASTICSEARCH, dir);
          markExecutable(join(dir, 'bin'));
        },
      );
      writeConfig(ctx, dist, host, port);
      const tmp = join(ctx.dirs.run, 'tmp');
      mkdirSync(tmp, { recursive: true });
      return {
        command: join(dist, 'bin', 'elasticsearch'),
        // On the command line rather than in elasticsearch.yml: the launcher recognises its own
        // process by this folder in the command line.
        args: ['-E', `path.data=${ctx.dirs.data}`],
        // Relative JVM outputs (gc.log, hs_err, replay files) land in the working folder: the logs.
        cwd: ctx.dirs.logs,
        env: { ES_JAVA_HOME: java.home, ES_PATH_CONF: ctx.dirs.conf, ES_TMPDIR: tmp },
      };
    },
    isHealthy: () =>
      httpOk(`http://${host}:${port}/_cluster/health?wait_for_status=yellow&timeout=1s`),
    logFile: (dirs) => join(dirs.logs, `${CLUSTER_NAME}.log`),
  };
}

/** A private copy of the distribution's config folder (ES_PATH_CONF) with our settings on top. */
function writeConfig(ctx: ServiceContext, dist: string, host: string, port: number): void {
  if (!existsSync(join(ctx.dirs.conf, 'jvm.options')))
    cpSync(join(dist, 'config'), ctx.dirs.conf, { recursive: true });
  const settings = {
    'cluster.name': CLUSTER_NAME,
    'node.name': 'local',
    'network.host': host,
    'http.port': String(port),
    'transport.port': String(port + 100),
    'discovery.type': 'single-node',
    'xpack.security.enabled': 'false',
    'path.logs': ctx.dirs.logs,
    // A developer's nearly full disk must not turn indices read-only in the middle of a test run.
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  };
  const yaml = Object.entries(settings)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    join(ctx.dirs.conf, 'elasticsearch.yml'),
    `# Written by tools/infra; edits are overwritten.\n${yaml}\n`,
  );
  mkdirSync(join(ctx.dirs.conf, 'jvm.options.d'), { recursive: true });
  writeFileSync(join(ctx.dirs.conf, 'jvm.options.d', 'heap.options'), '-Xms512m\n-Xmx1g\n');
}
