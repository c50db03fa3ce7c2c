import type { Type } from 'avsc';
import { App, operationsUrlOf, Reading, startApp, stop, until } from './apps';
import { consumeKafkajs } from './client-ceilings';
import { TreeSampler } from './proc-tree';
import { expectSuccess, SparkJobSpec, startSparkJob } from './spark-job';
import type { SparkInstall } from './spark-setup';

/**
 * Draining one backlog with each system. Every rate is events in the topics drained over the wall
 * time from the process's start (Spark: spark-submit; the aggregator: its node process; the
 * ceiling: its consumer's connect) to the last event processed, its results durable; CPU is the
 * process tree's CPU seconds (/proc) over the same wall time.
 */
export interface DrainRow {
  readonly label: string;
  readonly events: number;
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  /** From the first record processed to the last: without start-up (JVM, group join, metadata). */
  readonly steadyEventsPerSecond: number;
  readonly cpuCores: number;
  readonly eventsPerCoreSecond: number;
  readonly peakRssMiB: number;
}

function row(
  label: string,
  events: number,
  tree: TreeSampler,
  times: { startMs: number; firstMs: number; endMs: number },
): DrainRow {
  const wallSeconds = (times.endMs - times.startMs) / 1000;
  const cpuCores = tree.coresBetween(times.startMs, times.endMs);
  const eventsPerSecond = events / wallSeconds;
  return {
    label,
    events,
    wallSeconds,
    eventsPerSecond,
    steadyEventsPerSecond: events / ((times.endMs - times.firstMs) / 1000),
    cpuCores,
    eventsPerCoreSecond: eventsPerSecond / cpuCores,
    peakRssMiB: tree.peakRssMiB(times.endMs),
  };
}

/** The plain kafkajs consumer that only decodes (client-ceilings.ts), in this process. */
export async function kafkajsDrain(
  label: string,
  readers: Readonly<Record<string, Type>>,
  events: number,
): Promise<DrainRow> {
  const tree = new TreeSampler(process.pid);
  const startMs = Date.now();
  try {
    const steadyRate = await consumeKafkajs(readers, events); // from its first batch to its last
    const endMs = Date.now();
    tree.sample();
    return row(label, events, tree, {
      startMs,
      firstMs: endMs - (1000 * events) / steadyRate,
      endMs,
    });
  } finally {
    tree.stop();
  }
}

/**
 * Spark with Trigger.AvailableNow: done at the last micro-batch that read rows (its foreachBatch
 * written).
 */
export async function sparkDrain(
  install: SparkInstall,
  label: string,
  spec: SparkJobSpec,
  events: number,
  rowsPerQuery: ReadonlyMap<string, number>,
): Promise<DrainRow> {
  const job = startSparkJob(install, spec);
  const tree = new TreeSampler(job.child.pid as number);
  try {
    await expectSuccess(job);
  } finally {
    tree.stop();
  }
  const read = job.inputRows();
  const short = [...rowsPerQuery]
    .filter(([q, n]) => read.get(q) !== n)
    .map(([q, n]) => `${q} read ${read.get(q) ?? 0} of ${n}`);
  if (short.length > 0)
    throw new Error(`the Spark job did not read every record once: ${short.join('; ')}`);
  const data = job.events.filter((e) => e.event === 'progress' && (e.inputRows ?? 0) > 0);
  const endMs = Math.max(...data.map((e) => e.atMs));
  const firstMs = Math.min(...data.map((e) => e.atMs - (e.triggerMs ?? 0)));
  return row(label, events, tree, { startMs: job.startedMs, firstMs, endMs });
}

/** Resolves with `probe`'s value; rejects with the app's output if it exits first. */
async function whileAlive<T>(
  app: App,
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const died = app.exited.then((code) => {
    throw new Error(
      `the aggregator exited with ${code} while waiting for ${what}:\n${app.output().slice(-4_000)}`,
    );
  });
  return Promise.race([until(what, probe, timeoutMs, 250), died]);
}

interface Drained {
  readonly firstMs: number;
  readonly endMs: number;
}

/**
 * Drained: every record consumed, every partition owned and caught up, and the results written
 * to the sinks unchanged for a second; the end is the last reading whose results count moved.
 */
async function pollDrain(
  app: App,
  url: string,
  events: number,
  partitions: number,
): Promise<Drained> {
  let [firstMs, lastWrittenMs, written, drainedMs] = [0, 0, -1, 0];
  return whileAlive(
    app,
    'the aggregator to drain the backlog',
    async () => {
      const r = await Reading.of(url);
      const consumed = r.sum('rta_events_in_total');
      if (consumed > 0 && firstMs === 0) firstMs = r.atMs;
      if (r.sum('rta_results_written_total') !== written)
        [written, lastWrittenMs] = [r.sum('rta_results_written_total'), r.atMs];
      const caughtUp =
        consumed >= events &&
        r.sum('rta_assigned_partitions') === partitions &&
        r.sum('rta_consumer_lag') === 0;
      if (caughtUp && drainedMs === 0) drainedMs = r.atMs;
      return caughtUp && r.atMs - lastWrittenMs >= 1_000
        ? { firstMs, endMs: Math.max(drainedMs, lastWrittenMs) }
        : undefined;
    },
    1_800_000,
  );
}

/**
 * One aggregator command (`--members 1`), from its start to the backlog drained into both sinks.
 */
export async function aggregatorDrain(
  label: string,
  env: NodeJS.ProcessEnv,
  events: number,
  partitions: number,
  args: readonly string[] = [],
): Promise<DrainRow> {
  const startMs = Date.now();
  const app = startApp(
    'aggregator',
    ['--http-port', '0', '--log-level', 'info', '--members', '1', ...args],
    env,
  );
  const tree = new TreeSampler(app.child.pid as number);
  try {
    const url = await whileAlive(
      app,
      'the aggregator to start',
      () => operationsUrlOf(app),
      120_000,
    );
    const drained = await pollDrain(app, url, events, partitions);
    return row(label, events, tree, { startMs, ...drained });
  } finally {
    tree.stop();
    await stop(app);
  }
}
