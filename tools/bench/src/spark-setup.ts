import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What `bench:spark` needs, installed once and cached under .bench/spark (git-ignored):
 * PySpark from PyPI in a venv, and the Kafka source, Avro and PostgreSQL JDBC jars from Maven
 * Central (tools/bench/spark/spark-jars.pom.xml). A marker file per step makes reruns free.
 */
export const SPARK_VERSION = '4.2.0';
export const ROOT = resolve(__dirname, '..', '..', '..');
export const CACHE_DIR = join(ROOT, '.bench', 'spark');
const VENV = join(CACHE_DIR, 'venv');
const POM = join(ROOT, 'tools', 'bench', 'spark', 'spark-jars.pom.xml');
/** Pinned as in tools/infra, so that resolution behaves the same with every Maven 3.6+. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export interface SparkInstall {
  readonly sparkSubmit: string;
  readonly python: string;
  readonly jars: readonly string[];
  readonly javaHome?: string;
  readonly java: string;
  readonly javaMajor: number;
}

const log = (line: string) => process.stderr.write(`[bench:spark] ${line}\n`);

/** Runs a setup command with its output on stderr; a missing program or a failure throws `hint`. */
function run(cmd: string, args: readonly string[], hint: string): void {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 2, 2], env: process.env });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ENOENT') throw new Error(`${cmd} is not on the PATH: ${hint}`);
  if (error) throw error;
  if (result.status !== 0)
    throw new Error(
      `\`${cmd} ${args.join(' ')}\` exited with ${result.status} (output above): ${hint}`,
    );
}

/** Spark 4 runs on Java 17 or newer: JAVA_HOME's java, else the one on the PATH. */
export function checkJava(): { java: string; javaHome?: string; major: number } {
  const javaHome = process.env['JAVA_HOME'];
  const java = javaHome ? join(javaHome, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const hint =
    'Spark 4 needs a JDK 17 or newer: install one (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to it';
  if (probe.error) throw new Error(`cannot run ${java} (${probe.error.message}): ${hint}`);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr ?? '');
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : Number.NaN;
  if (!(major >= 17))
    throw new Error(`${java} is Java ${version?.[0] ?? 'of an unknown version'}: ${hint}`);
  return { java, ...(javaHome ? { javaHome } : {}), major };
}

/**
 * The venv's python with pyspark==SPARK_VERSION (PYTHON picks the interpreter that makes the venv).
 */
function ensurePyspark(): string {
  const python = join(VENV, 'bin', 'python');
  const marker = join(VENV, `.pyspark-${SPARK_VERSION}`);
  if (existsSync(marker)) return python;
  const base = process.env['PYTHON'] ?? 'python3';
  const pythonHint =
    'PySpark 4 needs Python 3.10+ with venv (Debian: apt-get install python3-venv), or set PYTHON to such an interpreter';
  const probe = spawnSync(
    base,
    ['-c', 'import sys, venv; print(sys.version_info[0] * 100 + sys.version_info[1])'],
    { encoding: 'utf8' },
  );
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${base} cannot make a venv (${probe.error?.message ?? probe.stderr.trim()}): ${pythonHint}`,
    );
  if (Number(probe.stdout.trim()) < 310)
    throw new Error(`${base} is Python ${probe.stdout.trim()}: ${pythonHint}`);
  if (!existsSync(python)) {
    log(`creating a venv in ${VENV}`);
    run(base, ['-m', 'venv', VENV], pythonHint);
  }
  log(`installing pyspark==${SPARK_VERSION} from PyPI (a 450 MB download, once)`);
  run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--progress-bar',
      'off',
      `pyspark==${SPARK_VERSION}`,
    ],
    'check that PyPI is reachable (or PIP_INDEX_URL points at a mirror) and serves this pyspark version',
  );
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return python;
}

/**
 * Artifact name of a jar file: `spark-sql-kafka-0-10_2.13-4.2.0.jar` → `spark-sql-kafka-0-10_2.13`.
 */
export const artifactOf = (file: string) => /^(.+)-\d[\w.]*\.jar$/.exec(file)?.[1] ?? file;

/** The pom's runtime jars, less those PySpark already ships (Spark, Hadoop, codecs, Scala). */
function ensureJars(python: string): string[] {
  const dir = join(CACHE_DIR, `jars-${SPARK_VERSION}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    log(
      `resolving the Kafka, Avro and PostgreSQL jars for Spark ${SPARK_VERSION} from Maven Central into ${dir}`,
    );
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    run(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        POM,
        `-Dspark.version=${SPARK_VERSION}`,
        `${DEPENDENCY_PLUGIN}:copy-dependencies`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${dir}`,
      ],
      'install Maven 3.6+ (Debian: apt-get install maven) and check that Maven Central (or the mirror in ~/.m2/settings.xml) is reachable',
    );
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  const shipped = new Set(readdirSync(pysparkJarsDir(python)).map(artifactOf));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jar') && !shipped.has(artifactOf(f)))
    .sort()
    .map((f) => join(dir, f));
}

function pysparkJarsDir(python: string): string {
  const probe = spawnSync(
    python,
    ['-c', 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0)
    throw new Error(
      `pyspark does not import in ${VENV} (${probe.stderr.trim()}): remove ${VENV} and run again`,
    );
  return probe.stdout.trim();
}

/** Checks Java, then installs (or finds) PySpark and the jars. */
export function ensureSpark(): SparkInstall {
  const java = checkJava();
  log(`Java ${java.major} (${java.java})`);
  const python = ensurePyspark();
  const jars = ensureJars(python);
  log(
    `pyspark ${SPARK_VERSION}; jars: ${jars.map((j) => j.slice(j.lastIndexOf('/') + 1)).join(', ')}`,
  );
  return {
    sparkSubmit: join(VENV, 'bin', 'spark-submit'),
    python,
    jars,
    java: java.java,
    javaMajor: java.major,
    ...(java.javaHome ? { javaHome: java.javaHome } : {}),
  };
}
