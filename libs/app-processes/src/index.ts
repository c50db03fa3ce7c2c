import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/** The repository root (this file is libs/app-processes/src/index.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** One of the repo's apps running as a real process (tests, benchmarks). */
export interface App {
  readonly child: ChildProcess;
  /** What it printed so far (the last `keepChars` characters). */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/**
 * Node flags an app runs with, as its serve target (apps/<app>/project.json) starts it: the
 * aggregator's young generation is 4× Node's default (64 MiB semi-spaces), so a fetch's decoded
 * events die young instead of being copied and promoted (bench:processor: +15–30 % events per
 * CPU second).
 */
export const APP_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  aggregator: ['--max-semi-space-size=64'],
};

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly nodeArgs?: readonly string[];
  readonly keepChars?: number;
  /**
   * Another entry file of the app, relative to the repository root (e.g.
   * `apps/aggregator/src/tail/main.ts`); default `apps/<app>/src/main.ts`. It runs with the app's
   * tsconfig, but without APP_NODE_FLAGS: those are tuned for the app's main program only.
   */
  readonly entry?: string;
}

/**
 * Starts `apps/<app>/src/main.ts` (or `options.entry`) with node itself and tsx as a loader — not
 * the tsx CLI, whose wrapper process would take a SIGKILL and leave the app running orphaned.
 */
export function startApp(app: string, args: readonly string[], options: StartOptions = {}): App {
  const entry = options.entry ?? `apps/${app}/src/main.ts`;
  const appFlags = options.entry === undefined ? (APP_NODE_FLAGS[app] ?? []) : [];
  const child = spawn(
    process.execPath,
    [...appFlags, ...(options.nodeArgs ?? []), '--import', 'tsx', entry, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: `apps/${app}/tsconfig.json`, ...options.env },
    },
  );
  return watch(child, options.keepChars);
}

/**
 * Starts the app as it ships: `node dist/apps/<app>/main.js` (run `nx build <app>` first), with its
 * APP_NODE_FLAGS.
 */
export function startBuiltApp(
  app: string,
  args: readonly string[],
  options: Pick<StartOptions, 'env' | 'keepChars'> = {},
): App {
  const child = spawn(
    process.execPath,
    [...(APP_NODE_FLAGS[app] ?? []), `dist/apps/${app}/main.js`, ...args],
    { cwd: REPO_ROOT, env: { ...process.env, ...options.env } },
  );
  return watch(child, options.keepChars);
}

function watch(child: ChildProcess, keep = 1_000_000): App {
  let output = '';
  const collect = (d: Buffer) => (output = (output + d.toString()).slice(-keep));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output: () => output,
    exited: once(child, 'exit').then(([code]) => code as number | null),
  };
}

/**
 * Where an app serves /health and /metrics (`http://host:port`), from the line it logs once
 * listening; undefined before.
 */
export function operationsUrlOf(app: App): string | undefined {
  return /"health":"(http:\/\/[^"]+)\/health"/.exec(app.output())?.[1];
}

/** Polls `probe` every `intervalMs` until it returns something other than undefined. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopApp(app: App, graceMs = 30_000): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  await Promise.race([app.exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}
