import { spawn } from 'node:child_process';
import { InfraError } from './errors';

/** Pinned so that resolution behaves the same with every Maven 3.6+ install. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly type: string;
  readonly classifier?: string;
}

export function coordinates(a: MavenArtifact): string {
  return [a.groupId, a.artifactId, a.version, a.type, a.classifier].filter(Boolean).join(':');
}

export function fileName(a: MavenArtifact): string {
  return `${a.artifactId}-${a.version}${a.classifier ? `-${a.classifier}` : ''}.${a.type}`;
}

/** Downloads one artifact through Maven (cached in the local repository, ~/.m2) into `outDir`. */
export async function copyArtifact(
  service: string,
  artifact: MavenArtifact,
  outDir: string,
): Promise<string> {
  await runMaven(service, coordinates(artifact), [
    '-Dtransitive=false',
    `${DEPENDENCY_PLUGIN}:copy`,
    `-Dartifact=${coordinates(artifact)}`,
    `-DoutputDirectory=${outDir}`,
  ]);
  return `${outDir}/${fileName(artifact)}`;
}

/** Resolves the runtime classpath declared by `pomFile` into `outDir` (one jar per dependency). */
export async function copyDependencies(
  service: string,
  pomFile: string,
  outDir: string,
  properties: Record<string, string>,
): Promise<void> {
  const props = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
  const what = `the dependencies of ${pomFile} (${props.join(' ')})`;
  await runMaven(service, what, [
    '-f',
    pomFile,
    ...props,
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outDir}`,
  ]);
}

/** Runs Maven without blocking, so the other services keep starting while one downloads. */
function runMaven(service: string, what: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', '-q', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new InfraError('MAVEN_MISSING', service, 'Maven (mvn) is not on the PATH', {
              hint: 'install Maven 3.6+ (Debian: apt-get install maven; macOS: brew install maven)',
            })
          : error,
      ),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve();
      reject(
        new InfraError('ARTIFACT_UNAVAILABLE', service, `Maven could not fetch ${what}`, {
          hint:
            'check that Maven Central is reachable (or your mirror in ~/.m2/settings.xml) and that the version ' +
            'is served; versions can be overridden, see tools/infra/README.md',
          logTail: output.trim().split('\n').slice(-15).join('\n'),
          logFile: 'mvn output',
        }),
      );
    });
  });
}
