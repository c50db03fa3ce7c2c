import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..', '..');

export interface App {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** An app of this repo as a real process (node with tsx as a loader: signals reach the app itself). */
export function startApp(app: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): App {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`, ...args], { cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: `apps/${app}/tsconfig.json`, ...env } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

/** Polls `probe` until it returns a value (not undefined). */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The aggregator's operations URL, from its start-up log line. */
export const aggregatorUrlOf = (app: App) => until('the aggregator to start', () => /"health":"(http:\/\/[^"]+)\/health"/.exec(app.output())?.[1]);
