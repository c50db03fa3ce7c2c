import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InfraError } from './errors';
import type * as Launcher from './local-backend';
import type { ServiceSpec } from './services';

/**
 * The launcher against real processes in a private RTA_INFRA_HOME, on ports of its own: a real
 * PostgreSQL through a whole lifecycle, and small real processes that die or never get healthy.
 */
const home = mkdtempSync(join(tmpdir(), 'rta-launcher-'));
chmodSync(home, 0o755); // services may run as `nobody` when the tests run as root
process.env['RTA_INFRA_HOME'] = home;

let launcher: typeof Launcher;
let postgresService: (url: string) => ServiceSpec;

const started: ServiceSpec[] = [];

beforeAll(async () => {
  launcher = await import('./local-backend');
  ({ postgresService } = await import('./services/postgres'));
});

afterAll(async () => {
  await launcher.down(started); // whatever a failed assertion left running
  rmSync(home, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function failureOf(run: Promise<unknown>): Promise<InfraError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AggregateError);
  return (error as AggregateError).errors[0] as InfraError;
}

function processSpec(
  name: string,
  script: string,
  overrides: Partial<ServiceSpec> = {},
): ServiceSpec {
  return {
    name,
    host: '127.0.0.1',
    port: 1,
    url: 'n/a',
    stopSignal: 'SIGTERM',
    startTimeoutMs: 1_500,
    prepare: async (ctx) => ({
      command: 'sh',
      args: ['-c', script, ctx.dirs.root],
      cwd: ctx.dirs.run,
    }),
    isHealthy: async () => false,
    ...overrides,
  };
}

describe('local launcher', () => {
  it('runs a real PostgreSQL: up, up again (same pid), status, down (no process left)', async () => {
    const port = await freePort();
    const spec = postgresService(`postgres://lifecycle:pw@127.0.0.1:${port}/lifecycle_db`);
    started.push(spec);
    await launcher.up([spec]);
    const [first] = await launcher.status([spec]);
    expect(first?.state).toBe('healthy');

    await launcher.up([spec]);
    const [second] = await launcher.status([spec]);
    expect(second).toEqual(first);

    await launcher.down([spec]);
    const [after] = await launcher.status([spec]);
    expect(after?.state).toBe('stopped');
    expect(() => process.kill(first?.pid as number, 0)).toThrow();
  });

  it('refuses a port held by a process it did not start', async () => {
    const server: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as { port: number };
    try {
      const error = await failureOf(
        launcher.up([postgresService(`postgres://u:p@127.0.0.1:${port}/d`)]),
      );
      expect(error.code).toBe('PORT_IN_USE');
      expect(error.report()).toContain(`127.0.0.1:${port}`);
    } finally {
      server.close();
    }
  });

  it('reports a service that dies while starting, with the end of its log', async () => {
    const spec = processSpec('dies', 'echo "fatal: cannot bind" >&2; exit 3');
    const error = await failureOf(launcher.up([spec]));
    expect(error.code).toBe('SERVICE_EXITED');
    expect(error.logTail).toContain('fatal: cannot bind');
  });

  it('stops a service that is not healthy in time and says so', async () => {
    const spec = processSpec('hangs', 'echo waiting forever; exec sleep 60');
    const error = await failureOf(launcher.up([spec]));
    expect(error.code).toBe('HEALTH_TIMEOUT');
    expect(error.logTail).toContain('waiting forever');
    const [after] = await launcher.status([spec]);
    expect(after?.state).toBe('stopped');
  });
});

describe('prerequisites', () => {
  it('names the missing JDK and how to provide one', async () => {
    const { findJava } = await import('./java');
    expect(() => findJava('elasticsearch', 99, ['ES_JAVA_HOME'])).toThrow(
      expect.objectContaining({
        code: 'JAVA_MISSING',
        hint: expect.stringContaining('ES_JAVA_HOME'),
      }),
    );
  });

  it('shows what Maven said when an artifact is not served', async () => {
    const { copyArtifact } = await import('./maven');
    const missing = {
      groupId: 'io.apicurio',
      artifactId: 'apicurio-registry-app',
      version: '0.0.0-none',
      type: 'tar.gz',
    };
    await expect(
      copyArtifact('schema-registry', missing, join(home, 'downloads')),
    ).rejects.toMatchObject({
      code: 'ARTIFACT_UNAVAILABLE',
      logTail: expect.stringContaining('0.0.0-none'),
    });
  });
});
