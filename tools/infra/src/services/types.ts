import type { ServiceDirs } from '../paths';
import type { LaunchCommand } from '../processes';
import type { ServiceUser } from '../service-user';

export interface ServiceContext {
  readonly dirs: ServiceDirs;
  /** Set when the launcher runs as root: the service runs as this account instead. */
  readonly user: ServiceUser | undefined;
  /** Progress output for long steps (downloads, first-time initialisation). */
  readonly progress: (message: string) => void;
}

/** One local service: how to fetch, configure, start and probe it. */
export interface ServiceSpec {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Where clients reach it, shown by `status`. */
  readonly url: string;
  /** The signal that makes it shut down cleanly. */
  readonly stopSignal: NodeJS.Signals;
  readonly startTimeoutMs: number;
  /** Fetches binaries (cached), writes config, initialises data on first use; idempotent. */
  prepare(ctx: ServiceContext): Promise<LaunchCommand>;
  isHealthy(): Promise<boolean>;
  /** The service's own log file, when it writes one besides its console output. */
  logFile?(dirs: ServiceDirs): string;
  /** One-time setup that needs the running service (databases, users). Idempotent. */
  afterHealthy?(ctx: ServiceContext): Promise<void>;
}

const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
};

/** Host and port of `host:port` or a URL; a URL without a port gets its scheme's default. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const url = new URL(hostPort.includes('://') ? hostPort : `tcp://${hostPort}`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0),
  };
}
