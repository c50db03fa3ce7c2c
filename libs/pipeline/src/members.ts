import cluster, { Worker } from 'node:cluster';
import { once } from 'node:events';
import { AggregatorRegistry, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { PipelineError } from './errors';
import { checkReadiness, Probe, Readiness } from './readiness';

/**
 * Several consumer-group members in one command, one process each (node:cluster), so that one
 * aggregator uses every core: a member is an ordinary instance (same group, same exactness), and
 * the primary only starts them, serves their health and metrics as one, and stops them.
 * Processes rather than threads: the Prometheus default metrics (CPU, RSS) are per process and
 * add up, and prom-client's AggregatorRegistry merges the rest.
 */
type Json = MetricObjectWithValues<MetricValue<string>>[];
type Ask = 'metrics' | 'readiness';
interface Request {
  readonly rta: Ask;
  readonly id: number;
}
interface Reply {
  readonly rta: Ask;
  readonly id: number;
  readonly metrics?: Json;
  readonly readiness?: Readiness;
}
const STARTED = { rta: 'started' } as const;
const ANSWER_WITHIN_MS = 5_000;

/**
 * In a member, first thing: exit at once when the primary is gone (killed too): a member never runs
 * alone.
 */
export function exitWithPrimary(): void {
  process.on('disconnect', () => process.exit(1));
}

/** In a member: answers the primary's questions about metrics and readiness. */
export function serveAsMember(registry: Registry, probes: readonly Probe[]): void {
  process.on('message', (message: Partial<Request>) => {
    const answer =
      message.rta === 'metrics'
        ? registry.getMetricsAsJSON().then((metrics) => ({ metrics }))
        : message.rta === 'readiness'
          ? checkReadiness(probes).then((readiness) => ({ readiness }))
          : undefined;
    void answer?.then(
      (body) => process.connected && process.send?.({ rta: message.rta, id: message.id, ...body }),
    );
  });
}

/** In a member: tells the primary that it consumes (or is about to). */
export function announceStarted(): void {
  if (process.connected) process.send?.(STARTED);
}

/**
 * The exit code of a member that found one of its partitions owned by another member (a fenced
 * checkpoint, records jumping ahead): nothing is lost, and a restart resumes from the last
 * checkpoints. A rebalance can cause it (a checkpoint in flight while the partition moves), so
 * the primary restarts such a member instead of stopping the command.
 */
export const EXIT_OWNERSHIP_LOST = 75;

/**
 * Restarts of one member within this window beyond RESTART_BUDGET stop the command: a loop is a
 * fault.
 */
const RESTART_WINDOW_MS = 60_000;
const RESTART_BUDGET = 3;

/** In the primary: the members, forked at once so that they join the group in one rebalance. */
export class Members {
  private readonly workers: Worker[] = [];
  private readonly restarts: number[][] = [];
  /** Members that announced they consume (STARTED). */
  private readonly consuming = new WeakSet<Worker>();
  private nextId = 0;
  private stopping = false;
  private unexpectedExit: (member: number, code: number | null) => void = () => undefined;
  private restarted: (member: number) => void = () => undefined;

  constructor(count: number) {
    for (let i = 0; i < count; i += 1) this.fork(i);
  }

  get count(): number {
    return this.workers.length;
  }

  /** Resolves once every member has started; rejects with the exit code of one that ended first. */
  async started(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.on('message', (m: { rta?: string }) => m.rta === STARTED.rta && resolve());
            w.once('exit', (code: number | null) =>
              reject(
                new PipelineError(
                  'MEMBER_EXITED',
                  `member ${this.workers.indexOf(w) + 1} exited with ${String(code)} while starting`,
                  false,
                  { cause: code },
                ),
              ),
            );
          }),
      ),
    );
  }

  /**
   * Called once, with the exit code, when a member ends while the primary is not stopping them (and
   * is not restarted).
   */
  onUnexpectedExit(listener: (member: number, code: number | null) => void): void {
    this.unexpectedExit = listener;
  }

  /** Called when a member that exited with EXIT_OWNERSHIP_LOST has been started again. */
  onRestart(listener: (member: number) => void): void {
    this.restarted = listener;
  }

  private fork(index: number): void {
    const worker = cluster.fork({ RTA_MEMBER: String(index + 1) });
    this.workers[index] = worker;
    worker.on(
      'message',
      (m: { rta?: string }) => m.rta === STARTED.rta && this.consuming.add(worker),
    );
    worker.once('exit', (code: number | null) => {
      if (this.stopping) return;
      if (code === EXIT_OWNERSHIP_LOST && this.mayRestart(index)) {
        this.fork(index);
        this.restarted(index + 1);
      } else this.unexpectedExit(index + 1, code);
    });
  }

  private mayRestart(index: number): boolean {
    const now = Date.now();
    const recent = (this.restarts[index] ?? []).filter((at) => now - at < RESTART_WINDOW_MS);
    this.restarts[index] = [...recent, now];
    return recent.length < RESTART_BUDGET;
  }

  alive(): boolean {
    return this.workers.every((w) => !w.isDead());
  }

  /**
   * One registry that answers with every member's metrics, merged (counters and most gauges add
   * up).
   */
  registry(): Registry {
    return new MembersRegistry(() =>
      Promise.all(this.workers.map((w) => this.ask(w, 'metrics').then((r) => r.metrics ?? []))),
    );
  }

  /** One readiness probe per member: ready when every check of that member passes. */
  probes(): Probe[] {
    return this.workers.map((_, i) => ({
      name: `member_${i + 1}`,
      check: async () => {
        const readiness = (await this.ask(this.workers[i] as Worker, 'readiness')).readiness;
        const failing = Object.entries(readiness?.checks ?? {})
          .filter(([, c]) => !c.ok)
          .map(([name, c]) => `${name}: ${c.error ?? 'failing'}`);
        if (!readiness?.ready) throw new Error(failing.join('; ') || 'not ready');
      },
    }));
  }

  /** SIGTERM to each member (each flushes, checkpoints and leaves); the worst exit code. */
  async stop(): Promise<number> {
    this.stopping = true;
    const exits = this.workers.map((w) =>
      w.isDead() ? Promise.resolve([w.process.exitCode]) : once(w, 'exit'),
    );
    for (const w of this.workers) if (!w.isDead()) w.process.kill('SIGTERM');
    // Killed by the signal before it consumed (a restarted member still starting): nothing to
    // flush.
    const codes = (await Promise.all(exits)).map(([code], i) =>
      typeof code === 'number' ? code : this.consuming.has(this.workers[i] as Worker) ? 1 : 0,
    );
    return Math.max(0, ...codes);
  }

  private ask(worker: Worker, rta: Ask): Promise<Reply> {
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `member ${this.workers.indexOf(worker) + 1} did not answer within ${ANSWER_WITHIN_MS} ms`,
            ),
          ),
        ANSWER_WITHIN_MS,
      );
      const onMessage = (m: Partial<Reply>) =>
        m.rta === rta && m.id === id && finish(undefined, m as Reply);
      const finish = (error?: Error, reply?: Reply) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        if (reply) resolve(reply);
        else reject(error);
      };
      worker.on('message', onMessage);
      if (!worker.isConnected())
        finish(new Error(`member ${this.workers.indexOf(worker) + 1} is gone`));
      else worker.send({ rta, id } satisfies Request);
    });
  }
}

/** A registry whose metrics are read from the members at each scrape. */
class MembersRegistry extends Registry {
  constructor(private readonly collect: () => Promise<Json[]>) {
    super();
  }

  override async getMetricsAsJSON(): Promise<Json> {
    return AggregatorRegistry.aggregate(await this.collect()).getMetricsAsJSON() as Promise<Json>;
  }

  override async metrics(): Promise<string> {
    return AggregatorRegistry.aggregate(await this.collect()).metrics();
  }
}
