import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadServiceEndpoints } from '@rta/service-config';

/**
 * The libs as a service outside the monorepo gets them: `npm pack` of the built packages
 * (`nx build`, run first by this target's dependsOn), installed into an empty folder from the
 * tarballs (their npm dependencies from the registry), a TypeScript program compiled against
 * their types and run against the real PostgreSQL.
 */
const root = resolve(__dirname, '..', '..', '..', '..');
const PUBLISHED = ['windowing', 'event-schemas', 'sink-postgres', 'sink-core', 'service-config'];
const WORKSPACE = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/**
 * Output is parsed: no colours, also where CI forces them (NO_COLOR for picocolors, FORCE_COLOR=0
 * for chalk).
 */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function pack(into: string): Record<string, string> {
  const tarballs: Record<string, string> = {};
  for (const lib of PUBLISHED) {
    const out = run(
      'npm',
      ['pack', '--pack-destination', into, '--silent'],
      join(root, 'dist', 'libs', lib),
    )
      .trim()
      .split('\n')
      .at(-1) as string;
    tarballs[lib] = join(into, out);
  }
  return tarballs;
}

function install(dir: string, tarballs: string[]): void {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }),
  );
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs],
    dir,
  );
}

describe('the libs as npm packages, outside the workspace', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'rta-packages-'));
  const tarballs = pack(scratch);

  it('windowing installs alone: no Kafka, PostgreSQL, Elasticsearch or Avro client comes with it', () => {
    const dir = mkdtempSync(join(scratch, 'windowing-'));
    install(dir, [tarballs['windowing'] as string]);
    const installed = readdirSync(join(dir, 'node_modules')).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(dir, 'node_modules', n)).map((m) => `${n}/${m}`) : [n],
    );
    expect(installed).toContain('@rta/windowing');
    expect(
      installed.filter((n) =>
        /^(kafkajs|pg|avsc|@elastic\/.*|@kafkajs\/.*|@platformatic\/.*)$/.test(n),
      ),
    ).toEqual([]);
  }, 180_000);

  it('a program compiled against windowing, event-schemas and sink-postgres runs against the real PostgreSQL', () => {
    const dir = mkdtempSync(join(scratch, 'consumer-'));
    const types = ['@types/node', '@types/pg'].map(
      (name) => `${name}@${WORKSPACE.devDependencies[name] as string}`,
    );
    install(dir, [
      ...PUBLISHED.map((l) => tarballs[l] as string),
      'pg@' + (WORKSPACE.dependencies['pg'] as string),
      ...types,
    ]);
    copyFileSync(join(__dirname, 'consumer.ts'), join(dir, 'consumer.ts'));
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    // skipLibCheck as consumers build: a dependency's own declarations (@datadog/sketches-js) do
    // not check cleanly.
    run(
      tsc,
      [
        '--strict',
        '--skipLibCheck',
        '--module',
        'node16',
        '--moduleResolution',
        'node16',
        '--target',
        'es2022',
        '--types',
        'node',
        'consumer.ts',
      ],
      dir,
    );
    expect(existsSync(join(dir, 'consumer.js'))).toBe(true);
    const printed = JSON.parse(
      run('node', ['consumer.js', loadServiceEndpoints().databaseUrl], dir),
    ) as Record<string, unknown>;
    expect(printed).toEqual({
      windowed: [
        { key: { shop: 'a' }, values: { sales: 2, cents: 350 }, final: true },
        { key: { shop: 'b' }, values: { sales: 1, cents: 5 }, final: true },
      ],
      roundTrip: true,
      issues: 0,
      checkpoints: [],
    });
  }, 180_000);
});

describe('nx release', () => {
  it('versions every publishable lib together (dry run: nothing is written)', () => {
    const manifest = () => readFileSync(join(root, 'libs', 'windowing', 'package.json'), 'utf8');
    const before = manifest();
    const printed = run(
      join(root, 'node_modules', '.bin', 'nx'),
      ['release', 'version', '9.9.9', '--dry-run'],
      root,
    );
    const projects = [...printed.matchAll(/Running release version for project: (\S+)/g)]
      .map((m) => m[1])
      .sort();
    expect(projects).toEqual([
      'event-schemas',
      'metrics-catalog',
      'pipeline',
      'service-config',
      'simulation',
      'sink-core',
      'sink-elasticsearch',
      'sink-postgres',
      'stream-io',
      'windowing',
    ]);
    expect(printed).toMatch(
      /New version 9\.9\.9 written to manifest: libs\/windowing\/package\.json/,
    );
    expect(manifest()).toBe(before);
  }, 120_000);
});
