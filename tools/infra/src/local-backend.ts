import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InfraError } from './errors';
import { tailFile } from './log-tail';
import { isPortOpen } from './net';
import { DIST_DIR, INFRA_HOME, serviceDirs, ServiceDirs } from './paths';
import { groupAlive, isAlive, runningGroup, spawnDetached, stopGroup, writePid } from './processes';
import { assertReadable, giveTo, resolveServiceUser, ServiceUser } from './service-user';
import type { ServiceContext, ServiceSpec } from './services';

const POLL_MS = 500;
const STOP_GRACE_MS = 30_000;

export type ServiceState = 'healthy' | 'starting' | 'stopped' | 'port-busy';

export interface ServiceStatus {
  readonly spec: ServiceSpec;
  readonly state: ServiceState;
  readonly pid?: number;
}

/** Starts the services that are not running yet, all at once; already running is fine. */
export async function up(specs: readonly ServiceSpec[]): Promise<void> {
  await withLauncherLock(async () => {
    const user = resolveServiceUser();
    const outcomes = await Promise.allSettled(specs.map((spec) => upOne(spec, user)));
    const failures = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [o.reason as unknown] : [],
    );
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} service(s) failed to start`);
  });
}

async function upOne(spec: ServiceSpec, user: ServiceUser | undefined): Promise<void> {
  const dirs = serviceDirs(spec.name);
  const ctx: ServiceContext = { dirs, user, progress: (m) => say(spec, m) };
  let pid = runningGroup(dirs.pidFile, dirs.root);
  const startedNow = pid === undefined;
  if (pid !== undefined && (await spec.isHealthy())) {
    await spec.afterHealthy?.(ctx); // idempotent: picks up a changed DATABASE_URL user or database
    return say(spec, `already running (pid ${pid}) at ${spec.url}`);
  }
  if (pid !== undefined) say(spec, `already started (pid ${pid}), waiting until healthy`);
  else pid = await start(spec, ctx);
  const startedAt = Date.now();
  await waitHealthy(spec, dirs, pid, startedNow);
  await spec.afterHealthy?.(ctx);
  say(spec, `ready at ${spec.url} (${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);
}

async function start(spec: ServiceSpec, ctx: ServiceContext): Promise<number> {
  const { dirs, user } = ctx;
  if (await isPortOpen(spec.host, spec.port)) throw portInUse(spec);
  for (const dir of [dirs.data, dirs.logs, dirs.conf, dirs.run])
    mkdirSync(dir, { recursive: true });
  const launch = await spec.prepare(ctx);
  if (isAbsolute(launch.command)) {
    assertExecutable(spec, launch.command);
    assertReadable(user, spec.name, launch.command);
  }
  handOver(user, dirs);
  const pid = spawnDetached(launch, dirs.consoleLog, user);
  writePid(dirs.pidFile, pid);
  say(
    spec,
    `started (pid ${pid}), waiting up to ${spec.startTimeoutMs / 1000}s for it to be healthy`,
  );
  return pid;
}

function assertExecutable(spec: ServiceSpec, command: string): void {
  try {
    accessSync(command, constants.X_OK);
  } catch (cause) {
    throw new InfraError('SETUP_FAILED', spec.name, `cannot execute ${command}`, {
      hint: `remove ${DIST_DIR} (a half-unpacked distribution) or reinstall with \`npm ci\`, then run up again`,
      cause,
    });
  }
}

/** Config and logs are rewritten by us on every start; data only changes owner the first time. */
function handOver(user: ServiceUser | undefined, dirs: ServiceDirs): void {
  if (!user) return;
  giveTo(user, dirs.conf, dirs.logs, dirs.run);
  if (statSync(dirs.data).uid !== user.uid) giveTo(user, dirs.root);
}

/**
 * Polls the health check; `pid` is known to be ours here, so only its group's liveness matters.
 * A service this command did not start is never stopped on timeout: it may be someone's work.
 */
async function waitHealthy(
  spec: ServiceSpec,
  dirs: ServiceDirs,
  pid: number,
  startedNow: boolean,
): Promise<void> {
  const deadline = Date.now() + spec.startTimeoutMs;
  let nextNote = Date.now() + 15_000;
  for (;;) {
    if (await spec.isHealthy()) return;
    if (!groupAlive(pid)) {
      rmSync(dirs.pidFile, { force: true });
      throw failure('SERVICE_EXITED', spec, dirs, 'exited while starting');
    }
    if (Date.now() > deadline) {
      if (!startedNow)
        throw failure(
          'HEALTH_TIMEOUT',
          spec,
          dirs,
          `not healthy after ${spec.startTimeoutMs / 1000}s; it was running before this command, so it was left running`,
        );
      await stopGroup(pid, spec.stopSignal, 10_000);
      rmSync(dirs.pidFile, { force: true });
      throw failure(
        'HEALTH_TIMEOUT',
        spec,
        dirs,
        `not healthy after ${spec.startTimeoutMs / 1000}s; stopped it`,
      );
    }
    if (Date.now() > nextNote) {
      say(spec, 'still starting...');
      nextNote = Date.now() + 15_000;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stops every service this launcher started (by pid file), the others in parallel. */
export async function down(specs: readonly ServiceSpec[]): Promise<void> {
  await withLauncherLock(() => stopAll(specs));
}

async function stopAll(specs: readonly ServiceSpec[]): Promise<void> {
  await Promise.all(
    specs.map(async (spec) => {
      const dirs = serviceDirs(spec.name);
      const pid = runningGroup(dirs.pidFile, dirs.root);
      if (pid === undefined) return say(spec, 'not running');
      say(spec, `stopping (pid ${pid})`);
      const how = await stopGroup(pid, spec.stopSignal, STOP_GRACE_MS);
      runningGroup(dirs.pidFile, dirs.root); // clears the pid file now that the group is gone
      say(
        spec,
        how === 'killed' ? `did not stop within ${STOP_GRACE_MS / 1000}s: killed` : 'stopped',
      );
    }),
  );
}

export async function status(specs: readonly ServiceSpec[]): Promise<ServiceStatus[]> {
  return Promise.all(
    specs.map(async (spec): Promise<ServiceStatus> => {
      const dirs = serviceDirs(spec.name);
      const pid = runningGroup(dirs.pidFile, dirs.root);
      if (pid !== undefined)
        return {
          spec,
          pid,
          state: (await spec.isHealthy().catch(() => false)) ? 'healthy' : 'starting',
        };
      return { spec, state: (await isPortOpen(spec.host, spec.port)) ? 'port-busy' : 'stopped' };
    }),
  );
}

/**
 * The logs that explain a failure: the service's own log file when it has one, else its console.
 */
export function serviceLogTail(spec: ServiceSpec, lines = 25): { file: string; tail: string } {
  const dirs = serviceDirs(spec.name);
  const own = spec.logFile?.(dirs);
  const ownTail = own ? tailFile(own, lines) : '';
  return ownTail
    ? { file: own as string, tail: ownTail }
    : { file: dirs.consoleLog, tail: tailFile(dirs.consoleLog, lines) };
}

function failure(
  code: 'SERVICE_EXITED' | 'HEALTH_TIMEOUT',
  spec: ServiceSpec,
  dirs: ServiceDirs,
  what: string,
) {
  const { file, tail } = serviceLogTail(spec);
  return new InfraError(code, spec.name, what, {
    hint: `read ${file} (and ${dirs.consoleLog}); fix the cause, then run \`npx nx run infra:up\` again`,
    logTail: tail || '(the log is empty)',
    logFile: file,
  });
}

function portInUse(spec: ServiceSpec): InfraError {
  return new InfraError(
    'PORT_IN_USE',
    spec.name,
    `port ${spec.host}:${spec.port} is taken by a process tools/infra did not start`,
    {
      hint: `stop that process (find it with \`ss -ltnp 'sport = :${spec.port}'\`), or point this service's env variable at another port (see tools/infra/README.md)`,
    },
  );
}

/**
 * One `up` or `down` at a time per state folder: two at once would both pass the port check and
 * start a service twice. A lock left by a process that died is taken over.
 */
async function withLauncherLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(INFRA_HOME, 'launcher.lock');
  mkdirSync(INFRA_HOME, { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new InfraError(
          'LAUNCHER_BUSY',
          'infra',
          `another launcher command (pid ${holder}) is running`,
          {
            hint: 'wait for it to finish, then run this again',
          },
        );
      }
      rmSync(lock, { force: true });
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function say(spec: ServiceSpec, message: string): void {
  console.log(`[${spec.name.padEnd(15)}] ${message}`);
}
