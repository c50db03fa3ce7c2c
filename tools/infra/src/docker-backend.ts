import { spawnSync } from 'node:child_process';
import { InfraError } from './errors';
import { COMPOSE_FILE } from './paths';

/**
 * The same stack from infra/compose.yaml for machines with a Docker engine. Service names match
 * the local backend's, and so do ports and env names; `--wait` uses the compose health checks.
 */
export function composeUp(services: readonly string[]): void {
  compose(['up', '--detach', '--wait', ...services]);
}

/** Named services are stopped; without names the whole stack goes down (volumes are kept). */
export function composeDown(services: readonly string[]): void {
  compose(services.length > 0 ? ['stop', ...services] : ['down']);
}

export function composeStatus(): void {
  compose(['ps']);
}

function compose(args: string[]): void {
  const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new InfraError('DOCKER_MISSING', 'docker', 'the Docker compose plugin is not available', {
      hint: 'install Docker with the compose plugin, or use the default local backend (no --backend flag)',
      logTail: `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.trim() || undefined,
    });
  }
  const result = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, ...args], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exitCode = result.status ?? 1;
}
