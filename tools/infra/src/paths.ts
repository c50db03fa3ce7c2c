import { join, resolve } from 'node:path';

/** The repository root (this file is tools/infra/src/paths.ts). */
export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

/** Everything the launcher writes: binaries, data, logs, pid files. Git-ignored. */
export const INFRA_HOME = resolve(process.env['RTA_INFRA_HOME'] ?? join(WORKSPACE_ROOT, '.infra'));

/** Extracted distributions (the downloads themselves are cached by Maven in ~/.m2). */
export const DIST_DIR = resolve(process.env['RTA_INFRA_DIST'] ?? join(INFRA_HOME, 'dist'));

export const COMPOSE_FILE = join(WORKSPACE_ROOT, 'infra', 'compose.yaml');

export interface ServiceDirs {
  readonly root: string;
  readonly data: string;
  readonly logs: string;
  readonly conf: string;
  readonly run: string;
  readonly pidFile: string;
  /** stdout and stderr of the service process. */
  readonly consoleLog: string;
}

export function serviceDirs(service: string): ServiceDirs {
  const root = join(INFRA_HOME, service);
  return {
    root,
    data: join(root, 'data'),
    logs: join(root, 'logs'),
    conf: join(root, 'conf'),
    run: join(root, 'run'),
    pidFile: join(root, `${service}.pid`),
    consoleLog: join(root, 'logs', 'console.log'),
  };
}
