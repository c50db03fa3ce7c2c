import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and resident memory of a whole process tree, read from /proc every `intervalMs`:
 * a JVM with its Python driver (Spark), node with its member processes (the aggregator), or this
 * process (the kafkajs ceiling). CPU counts utime + stime of every live process of the tree plus
 * cutime + cstime (its children that have exited and been waited for), so short-lived children
 * are not lost; RSS is the sum over the live processes.
 */
export interface TreeSample {
  readonly atMs: number;
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

const PAGE_BYTES = 4096;
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly ticks: number;
  readonly rssPages: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    const n = (field: number) => Number(f[field - 3]);
    return {
      pid,
      state: f[0] ?? '?',
      ppid: n(4),
      ticks: n(14) + n(15) + n(16) + n(17),
      rssPages: n(24),
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** The root and every descendant still alive. */
export function treeStats(rootPid: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = all.find((s) => s.pid === rootPid);
  if (!root) return [];
  const out: ProcStat[] = [];
  const queue = [root];
  for (let s = queue.shift(); s; s = queue.shift()) {
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

export class TreeSampler {
  readonly samples: TreeSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now (nothing once the root has exited). */
  sample(): TreeSample | undefined {
    const stats = treeStats(this.rootPid);
    if (stats.length === 0) return undefined;
    const sample = {
      atMs: Date.now(),
      cpuSeconds: stats.reduce((n, s) => n + s.ticks, 0) / TICKS_PER_SECOND,
      rssBytes: stats.reduce((n, s) => n + s.rssPages, 0) * PAGE_BYTES,
    };
    this.samples.push(sample);
    return sample;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The last sample taken at or before `atMs` (else the first one). */
  at(atMs: number): TreeSample {
    const before = this.samples.filter((s) => s.atMs <= atMs);
    const sample = before.at(-1) ?? this.samples[0];
    if (!sample) throw new Error(`process ${this.rootPid} was gone before its first /proc sample`);
    return sample;
  }

  /** CPU seconds per wall second between two times: cores used. */
  coresBetween(fromMs: number, toMs: number): number {
    const [a, b] = [this.at(fromMs), this.at(toMs)];
    return b.atMs > a.atMs
      ? (b.cpuSeconds - a.cpuSeconds) / ((b.atMs - a.atMs) / 1000)
      : Number.NaN;
  }

  /** The largest tree RSS sampled up to `toMs`, in MiB. */
  peakRssMiB(toMs = Number.POSITIVE_INFINITY): number {
    return Math.round(
      Math.max(0, ...this.samples.filter((s) => s.atMs <= toMs).map((s) => s.rssBytes)) / 2 ** 20,
    );
  }
}

/**
 * Ends a tree this process started (root and descendants, by pid): SIGTERM, then SIGKILL after
 * `graceMs`.
 */
export async function killTree(rootPid: number, graceMs = 10_000): Promise<void> {
  const pids = treeStats(rootPid).map((s) => s.pid);
  const signal = (name: NodeJS.Signals, which: readonly number[]) =>
    which.forEach((pid) => {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    });
  signal('SIGTERM', pids);
  const deadline = Date.now() + graceMs;
  const alive = (pid: number) => ![undefined, 'Z', 'X'].includes(readStat(pid)?.state);
  while (Date.now() < deadline && pids.some(alive)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  signal('SIGKILL', pids.filter(alive));
}
