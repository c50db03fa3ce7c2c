import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { STREAMS } from '@rta/event-schemas';
import { loadServiceEndpoints } from '@rta/service-config';
import { CACHE_DIR, ROOT, SparkInstall } from './spark-setup';

/** tools/bench/spark/seed_queries.py as a spark-submit process, its JSON progress lines parsed. */
const JOB = join(ROOT, 'tools', 'bench', 'spark', 'seed_queries.py');
const MASTER = process.env['SPARK_MASTER'] ?? 'local[*]';
const DRIVER_MEMORY = process.env['SPARK_DRIVER_MEMORY'] ?? '2g';
/**
 * Spark's default is 200 (the seeds kept it); 6 = the Kafka partitions, what a 2-core local run
 * wants.
 */
export const SHUFFLE_PARTITIONS = Number(process.env['SPARK_SHUFFLE_PARTITIONS'] ?? 6);
const MAX_OFFSETS_PER_TRIGGER = Number(process.env['SPARK_MAX_OFFSETS_PER_TRIGGER'] ?? 0);

export interface JobEvent {
  readonly event: 'started' | 'running' | 'progress' | 'idle' | 'terminated' | 'done';
  readonly atMs: number;
  readonly query?: string;
  readonly batchId?: number;
  readonly inputRows?: number;
  readonly triggerMs?: number;
  readonly exception?: string | null;
}

export interface SparkJobSpec {
  readonly runId: string;
  readonly ecommerceTopic: string;
  /** Also seed 000's query on this topic. */
  readonly gameTopic?: string;
  /** 'available-now' drains and exits; 'default' runs micro-batches until `stop()`. */
  readonly trigger: 'available-now' | 'default';
  readonly jdbc: { readonly url: string; readonly user: string; readonly password: string };
}

export interface SparkJob {
  readonly child: ChildProcess;
  readonly startedMs: number;
  readonly events: JobEvent[];
  readonly exited: Promise<number | null>;
  /** Input rows per query so far. */
  readonly inputRows: () => Map<string, number>;
  /** Queries that have run a trigger (a micro-batch, or found no data). */
  readonly ready: () => Set<string>;
  /** Default trigger: asks the job to stop its queries and exit. */
  readonly stop: () => void;
  /** The end of Spark's log and of the job's other output, for errors. */
  readonly logTail: () => string;
  /** Its folder: schemas, checkpoints, spark.log (removed once it succeeded). */
  readonly runDir: string;
}

/** Every job's folder; a run of bench:spark starts by emptying it. */
export const RUNS_DIR = join(CACHE_DIR, 'runs');

function writeSchemas(runDir: string): { ecommerce: string; game: string } {
  const file = (name: 'ecommerce' | 'game') => {
    const path = join(runDir, `${name}.avsc`);
    writeFileSync(path, JSON.stringify(STREAMS[name].schemaVersions.at(-1))); // what the simulator registers and writes
    return path;
  };
  return { ecommerce: file('ecommerce'), game: file('game') };
}

function jobArgs(spec: SparkJobSpec, runDir: string): string[] {
  const schemas = writeSchemas(runDir);
  return [
    '--brokers',
    loadServiceEndpoints().kafkaBrokers.join(','),
    '--ecommerce-topic',
    spec.ecommerceTopic,
    '--ecommerce-schema',
    schemas.ecommerce,
    ...(spec.gameTopic ? ['--game-topic', spec.gameTopic, '--game-schema', schemas.game] : []),
    '--jdbc-url',
    spec.jdbc.url,
    '--jdbc-user',
    spec.jdbc.user,
    '--run-id',
    spec.runId,
    '--checkpoint-dir',
    join(runDir, 'checkpoints'),
    '--trigger',
    spec.trigger,
    '--stop-file',
    join(runDir, 'stop'),
    '--max-offsets-per-trigger',
    String(MAX_OFFSETS_PER_TRIGGER),
  ];
}

function submitArgs(install: SparkInstall): string[] {
  const conf = {
    'spark.ui.enabled': 'false',
    'spark.sql.shuffle.partitions': String(SHUFFLE_PARTITIONS),
    'spark.sql.session.timeZone': 'UTC',
    'spark.driver.extraJavaOptions': '-Duser.timezone=UTC',
    'spark.jars': install.jars.join(','),
  };
  return [
    '--master',
    MASTER,
    '--driver-memory',
    DRIVER_MEMORY,
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
  ];
}

export function startSparkJob(install: SparkInstall, spec: SparkJobSpec): SparkJob {
  const runDir = join(RUNS_DIR, spec.runId);
  mkdirSync(runDir, { recursive: true });
  const env = submitEnv(install, spec);
  const startedMs = Date.now();
  const child = spawn(
    install.sparkSubmit,
    [...submitArgs(install), JOB, ...jobArgs(spec, runDir)],
    { cwd: runDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logFile = join(runDir, 'spark.log');
  const log = createWriteStream(logFile);
  child.stderr?.pipe(log);
  const output = readJobOutput(child);
  // 'close': the process has exited and its output is read (the log is ended by the pipe).
  const exited = Promise.all([once(child, 'close'), once(log, 'close')]).then(
    ([[code]]) => code as number | null,
  );
  return {
    child,
    startedMs,
    events: output.events,
    exited,
    runDir,
    inputRows: () => rowsByQuery(output.events),
    ready: () => readyQueries(output.events),
    stop: () => writeFileSync(join(runDir, 'stop'), ''),
    logTail: () => logTailOf(logFile, output.other()),
  };
}

/** spark-submit's environment: the venv's Python, and the JDBC password off the command line. */
function submitEnv(install: SparkInstall, spec: SparkJobSpec): NodeJS.ProcessEnv {
  const venvBin = install.python.slice(0, install.python.lastIndexOf('/'));
  return {
    ...process.env,
    PYSPARK_PYTHON: install.python,
    PYSPARK_DRIVER_PYTHON: install.python,
    SPARK_LOCAL_IP: '127.0.0.1',
    BENCH_JDBC_PASSWORD: spec.jdbc.password,
    PATH: `${venvBin}:${process.env['PATH'] ?? ''}`,
    ...(install.javaHome ? { JAVA_HOME: install.javaHome } : {}),
  };
}

/** The job's stdout: its JSON events (progress with rows echoed), and the end of all the rest. */
function readJobOutput(child: ChildProcess): { events: JobEvent[]; other: () => string } {
  const events: JobEvent[] = [];
  let other = '';
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{"event"')) return void (other = `${other}${line}\n`.slice(-20_000));
    const event = JSON.parse(line) as JobEvent;
    events.push(event);
    if (event.event === 'progress' && (event.inputRows ?? 0) > 0)
      process.stderr.write(
        `[spark] ${event.query} batch ${event.batchId}: ${event.inputRows} rows in ${((event.triggerMs ?? 0) / 1000).toFixed(1)} s\n`,
      );
  });
  return { events, other: () => other };
}

function readyQueries(events: readonly JobEvent[]): Set<string> {
  return new Set(
    events
      .filter((e) => (e.event === 'progress' || e.event === 'idle') && e.query)
      .map((e) => e.query as string),
  );
}

/** The end of Spark's log without its INFO lines, then the end of the job's other output. */
function logTailOf(logFile: string, other: string): string {
  return `${readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => !/ INFO /.test(l))
    .slice(-40)
    .join('\n')}\n${other.split('\n').slice(-40).join('\n')}`;
}

function rowsByQuery(events: readonly JobEvent[]): Map<string, number> {
  const rows = new Map<string, number>();
  for (const e of events)
    if (e.event === 'progress' && e.query)
      rows.set(e.query, (rows.get(e.query) ?? 0) + (e.inputRows ?? 0));
  return rows;
}

/** Throws with the end of Spark's output when the job failed. */
export async function expectSuccess(job: SparkJob): Promise<void> {
  const code = await job.exited;
  if (code !== 0)
    throw new Error(
      `the Spark job exited with ${code} (all of it in ${job.runDir}/spark.log); its log ends with:\n${job.logTail()}`,
    );
  rmSync(job.runDir, { recursive: true, force: true });
}
