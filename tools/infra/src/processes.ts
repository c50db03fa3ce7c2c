import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ServiceUser } from './service-user';

export interface LaunchCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/**
 * Starts `launch` detached in its own process group, output appended to `logFile`. The group is
 * what `stopGroup` signals, so helper processes a service forks (Elasticsearch's CLI starts the
 * server JVM) stop with it.
 */
export function spawnDetached(launch: LaunchCommand, logFile: string, user?: ServiceUser): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: { ...process.env, ...launch.env },
      detached: true,
      stdio: ['ignore', log, log],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    // A missing or non-executable binary is reported asynchronously: write it where the
    // launcher's "exited while starting" report will show it, instead of crashing.
    child.once('error', (error) =>
      appendFileSync(logFile, `could not start ${launch.command}: ${error.message}\n`),
    );
    if (child.pid === undefined) throw new Error(`could not start ${launch.command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pid in `pidFile` while the process group it leads is still ours and alive, else undefined
 * (and the stale file is removed). A live leader must name `marker` (the service's own folder)
 * on its command line, so a recycled pid never makes us signal a stranger; a dead leader whose
 * group lives on (an orphaned child) is still ours, since Linux does not reuse a live group's id.
 */
export function runningGroup(pidFile: string, marker: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0) {
    const ours = isAlive(pid) ? commandLine(pid).includes(marker) : groupAlive(pid);
    if (ours) return pid;
  }
  rmSync(pidFile, { force: true });
  return undefined;
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
}

function commandLine(pid: number): string {
  const result = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout : '';
}

export function writePid(pidFile: string, pid: number): void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${pid}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals the process group led by `pid`, waits up to `graceMs` for every member to exit, then
 * kills what is left. Returns how it ended.
 */
export async function stopGroup(
  pid: number,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!signalGroup(pid, signal)) return 'not-running';
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return 'stopped';
    await sleep(200);
  }
  signalGroup(pid, 'SIGKILL');
  while (groupAlive(pid)) await sleep(50);
  return 'killed';
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
