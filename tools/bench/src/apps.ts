import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface App {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** An app of this repo as a real process (node with tsx as a loader), its output kept. */
export function startApp(app: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): App {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`, ...args], { cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: `apps/${app}/tsconfig.json`, ...env } });
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
  return { child, output: () => output };
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stop(app: App): Promise<void> {
  if (app.child.exitCode !== null) return;
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
}

type Series = { name: string; values: { value: number; labels: Record<string, string | number>; metricName?: string }[] }[];

/** One reading of an app's /metrics.json, with helpers to sum a series and read histogram buckets. */
export class Reading {
  constructor(readonly atMs: number, private readonly series: Series) {}

  static async of(url: string): Promise<Reading> {
    const response = await fetch(`${url}/metrics.json`, { signal: AbortSignal.timeout(5_000) });
    return new Reading(Date.now(), (await response.json()) as Series);
  }

  sum(name: string): number {
    return (this.series.find((s) => s.name === name)?.values ?? []).filter((v) => !v.metricName || v.metricName === name).reduce((n, v) => n + v.value, 0);
  }

  /** Cumulative bucket counts by upper bound. */
  buckets(name: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const v of this.series.find((s) => s.name === name)?.values ?? []) {
      if (v.metricName === `${name}_bucket`) out.set(Number(v.labels['le']), (out.get(Number(v.labels['le'])) ?? 0) + v.value);
    }
    return out;
  }
}

/** The q-quantile's bucket upper bound of the observations between two readings. */
export function quantileBetween(before: Reading, after: Reading, name: string, q: number): number | null {
  const a = before.buckets(name);
  const b = [...after.buckets(name)].map(([le, n]) => [le, n - (a.get(le) ?? 0)] as const).sort((x, y) => x[0] - y[0]);
  const total = b.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  return b.find(([, n]) => n >= q * total)?.[0] ?? null;
}
