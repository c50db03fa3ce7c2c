import { spawnSync } from 'node:child_process';
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
export function copyArtifact(service: string, artifact: MavenArtifact, outDir: string): string {
  runMaven(service, coordinates(artifact), [
    '-Dtransitive=false',
    `${DEPENDENCY_PLUGIN}:copy`,
    `-Dartifact=${coordinates(artifact)}`,
    `-DoutputDirectory=${outDir}`,
  ]);
  return `${outDir}/${fileName(artifact)}`;
}

/** Resolves the runtime classpath declared by `pomFile` into `outDir` (one jar per dependency). */
export function copyDependencies(
  service: string,
  pomFile: string,
  outDir: string,
  properties: Record<string, string>,
): void {
  const props = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
  const what = `the dependencies of ${pomFile} (${props.join(' ')})`;
  runMaven(service, what, [
    '-f',
    pomFile,
    ...props,
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outDir}`,
  ]);
}

function runMaven(service: string, what: string, args: string[]): void {
  const result = spawnSync('mvn', ['-B', '-q', ...args], { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new InfraError('MAVEN_MISSING', service, 'Maven (mvn) is not on the PATH', {
      hint: 'install Maven 3.6+ (Debian: apt-get install maven; macOS: brew install maven)',
    });
  }
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new InfraError('ARTIFACT_UNAVAILABLE', service, `Maven could not fetch ${what}`, {
      hint:
        'check that Maven Central is reachable (or your mirror in ~/.m2/settings.xml) and that the version ' +
        'is served; versions can be overridden, see tools/infra/README.md',
      logTail: output,
      logFile: 'mvn output',
    });
  }
}
