import { execFileSync, spawnSync } from 'node:child_process';
import { InfraError } from './errors';

/** The unprivileged account the services run as when the launcher itself runs as root. */
export interface ServiceUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Elasticsearch and PostgreSQL refuse to run as root, and no service needs root: when the launcher
 * is root (CI containers, fresh VMs) every service runs as RTA_SERVICE_USER (default `nobody`).
 * For anyone else the services run as the calling user.
 */
export function resolveServiceUser(env = process.env): ServiceUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = env['RTA_SERVICE_USER'] || 'nobody';
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, name], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }).trim(),
      );
    return { name, uid: id('-u'), gid: id('-g') };
  } catch (cause) {
    throw new InfraError(
      'NOT_READABLE_BY_SERVICE_USER',
      'infra',
      `running as root, but the service user '${name}' does not exist`,
      {
        hint: 'set RTA_SERVICE_USER to an existing unprivileged user (services refuse to run as root)',
        cause,
      },
    );
  }
}

/** Hands a folder the service writes to (data, logs, config) over to the service user. */
export function giveTo(user: ServiceUser | undefined, ...paths: string[]): void {
  if (!user) return;
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, ...paths]);
}

/** Fails early, with the fix, when the service user cannot read the binaries it must run. */
export function assertReadable(user: ServiceUser | undefined, service: string, path: string): void {
  if (!user) return;
  const probe = spawnSync('test', ['-r', path], { uid: user.uid, gid: user.gid });
  if (probe.status === 0) return;
  throw new InfraError(
    'NOT_READABLE_BY_SERVICE_USER',
    service,
    `running as root, services run as '${user.name}', which cannot read ${path}`,
    {
      hint:
        'clone the repository into a folder every user can traverse (e.g. under /opt or /srv), ' +
        'set RTA_INFRA_HOME to such a folder, or run the launcher as a regular user',
    },
  );
}
