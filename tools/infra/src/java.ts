import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from './errors';

export interface JavaRuntime {
  readonly home: string;
  readonly major: number;
  readonly java: string;
}

const JVM_FOLDERS = ['/usr/lib/jvm', '/Library/Java/JavaVirtualMachines', '/opt/java'];

/**
 * Parses the major version from a JDK's `release` file (`JAVA_VERSION="17.0.15"`, or "1.8.0_x").
 */
export function parseReleaseFile(text: string): number | undefined {
  const match = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

function runtimeAt(home: string): JavaRuntime | undefined {
  const release = join(home, 'release');
  const java = join(home, 'bin', 'java');
  if (!existsSync(release) || !existsSync(java)) return undefined;
  const major = parseReleaseFile(readFileSync(release, 'utf8'));
  return major === undefined ? undefined : { home, major, java };
}

function installedHomes(): string[] {
  return JVM_FOLDERS.filter(existsSync).flatMap((folder) =>
    readdirSync(folder).flatMap((name) => [
      join(folder, name),
      join(folder, name, 'Contents', 'Home'),
    ]),
  );
}

/**
 * Finds a JDK for `service` with at least `minMajor`. An explicit home in one of `envNames`
 * wins (and must qualify); otherwise the lowest qualifying version installed is chosen, the one
 * closest to what the service is tested with.
 */
export function findJava(
  service: string,
  minMajor: number,
  envNames: readonly string[],
): JavaRuntime {
  for (const name of envNames) {
    const home = process.env[name];
    if (!home) continue;
    const runtime = runtimeAt(home);
    if (runtime && runtime.major >= minMajor) return runtime;
    throw javaError(
      service,
      minMajor,
      `${name}=${home} is ${runtime ? `Java ${runtime.major}` : 'not a JDK'}`,
      envNames,
    );
  }
  const found = [process.env['JAVA_HOME'], ...installedHomes()]
    .filter((h): h is string => Boolean(h))
    .map(runtimeAt)
    .filter((r): r is JavaRuntime => r !== undefined);
  const usable = found.filter((r) => r.major >= minMajor).sort((a, b) => a.major - b.major);
  if (usable[0]) return usable[0];
  const seen = found.map((r) => `Java ${r.major} at ${r.home}`).join(', ') || 'no JDK';
  throw javaError(service, minMajor, `found ${seen}`, envNames);
}

function javaError(
  service: string,
  minMajor: number,
  what: string,
  envNames: readonly string[],
): InfraError {
  return new InfraError('JAVA_MISSING', service, `needs Java ${minMajor} or newer; ${what}`, {
    hint: `install a JDK ${minMajor}+ (Debian: apt-get install openjdk-${Math.max(minMajor, 17)}-jdk-headless, or Temurin) or set ${envNames.join(' / ')} to its home`,
  });
}
