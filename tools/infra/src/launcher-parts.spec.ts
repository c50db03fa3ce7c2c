import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraError } from './errors';
import { parseReleaseFile } from './java';
import { tailFile } from './log-tail';
import { coordinates, fileName } from './maven';
import { isPortOpen } from './net';
import { isAlive, runningGroup, spawnDetached, stopGroup, writePid } from './processes';
import { parseDatabaseUrl } from './services/postgres';

const scratchDirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rta-infra-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('processes (real child processes)', () => {
  it('starts a detached group, recognises it by marker, and stops the whole group', async () => {
    const dir = scratch();
    // A leader that forks a child: stopping must take both down.
    const script = `sleep 60 & echo started ${dir}; wait`;
    const pid = spawnDetached(
      { command: 'sh', args: ['-c', script, dir], cwd: dir },
      join(dir, 'out.log'),
    );
    const pidFile = join(dir, 'svc.pid');
    writePid(pidFile, pid);
    expect(runningGroup(pidFile, dir)).toBe(pid);
    expect(runningGroup(pidFile, '/not/our/folder')).toBeUndefined(); // a stranger's pid: file dropped

    writePid(pidFile, pid);
    expect(await stopGroup(pid, 'SIGTERM', 5_000)).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(runningGroup(pidFile, dir)).toBeUndefined();
    expect(await stopGroup(pid, 'SIGTERM', 1_000)).toBe('not-running');
  });

  it('kills a group that ignores the polite signal once the grace period ends', async () => {
    const dir = scratch();
    const pid = spawnDetached(
      { command: 'sh', args: ['-c', "trap '' TERM; sleep 60 & wait; wait"], cwd: dir },
      join(dir, 'o.log'),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(await stopGroup(pid, 'SIGTERM', 500)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });
});

describe('tailFile', () => {
  it('returns the last lines, or nothing for a missing file', () => {
    const file = join(scratch(), 'x.log');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n\n');
    expect(tailFile(file, 3)).toBe('line 97\nline 98\nline 99');
    expect(tailFile(join(scratch(), 'missing.log'))).toBe('');
  });
});

describe('parseReleaseFile', () => {
  it.each([
    ['JAVA_VERSION="17.0.15"', 17],
    ['IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="25.0.3"', 25],
    ['JAVA_VERSION="21"', 21],
    ['JAVA_VERSION="1.8.0_402"', 8],
    ['nothing here', undefined],
  ])('%p is Java %p', (text, major) => expect(parseReleaseFile(text)).toBe(major));
});

describe('maven coordinates', () => {
  it('renders coordinates and the file Maven writes', () => {
    const a = {
      groupId: 'io.apicurio',
      artifactId: 'apicurio-registry-app',
      version: '3.3.3',
      type: 'tar.gz',
      classifier: 'all',
    };
    expect(coordinates(a)).toBe('io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all');
    expect(fileName(a)).toBe('apicurio-registry-app-3.3.3-all.tar.gz');
    expect(fileName({ ...a, classifier: undefined, type: 'zip' })).toBe(
      'apicurio-registry-app-3.3.3.zip',
    );
  });
});

describe('parseDatabaseUrl', () => {
  it('reads user, password, port and database, decoding escapes', () => {
    expect(parseDatabaseUrl('postgres://an%40lyst:p%2Fw@127.0.0.1:5544/metrics')).toEqual({
      host: '127.0.0.1',
      port: 5544,
      user: 'an@lyst',
      password: 'p/w',
      database: 'metrics',
    });
    expect(parseDatabaseUrl('postgresql://u:p@localhost/x').port).toBe(5432);
  });
});

describe('InfraError', () => {
  it('reports what failed, what to do and the log evidence', () => {
    const error = new InfraError('HEALTH_TIMEOUT', 'kafka', 'not healthy after 90s', {
      hint: 'read the log',
      logTail: 'a\nb',
      logFile: '/x/server.log',
    });
    expect(error.code).toBe('HEALTH_TIMEOUT');
    expect(error.report()).toBe(
      '✗ kafka: not healthy after 90s\n  → read the log\n  last lines of /x/server.log:\n    a\n    b',
    );
  });
});

describe('isPortOpen', () => {
  it('is false for a port nobody listens on', async () => {
    expect(await isPortOpen('127.0.0.1', 1)).toBe(false);
  });
});
