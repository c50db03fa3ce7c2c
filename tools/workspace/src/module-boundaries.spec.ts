import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The architecture is enforced by lint (README.md: module boundaries). These tests lint small
 * snippets as if they were files of a project, so a weakened rule fails here, not in review.
 */
const root = resolve(__dirname, '..', '..', '..');

interface LintResult {
  messages: { ruleId: string | null; severity: number; message: string }[];
}

/**
 * Lints `code` as `<project>/src/probe.ts` with the real CLI from the project folder, as `nx lint`
 * does (the flat config is ESM, which Jest cannot load in-process).
 */
async function violations(project: string, code: string): Promise<string[]> {
  return violationsIn(project, join('src', 'probe.ts'), code);
}

/** Lints `code` as if it were the file `path` of `project`. */
async function violationsIn(project: string, path: string, code: string): Promise<string[]> {
  const eslint = join(root, 'node_modules', '.bin', 'eslint');
  const file = join(root, project, path);
  const run = spawnSync(eslint, ['--format', 'json', '--stdin', '--stdin-filename', file], {
    cwd: join(root, project),
    input: code,
    encoding: 'utf8',
  });
  if (run.status === 2 || !run.stdout) throw new Error(`eslint failed to run: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as LintResult[];
  return (result?.messages ?? [])
    .filter((m) => m.severity === 2)
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it.each([
    'kafkajs',
    '@kafkajs/confluent-schema-registry',
    'pg',
    '@elastic/elasticsearch',
    'avsc',
  ])('the windowing engine cannot import the I/O library %s', async (library) => {
    const found = await violations(
      'libs/windowing',
      `import * as io from '${library}';\nexport const x = io;\n`,
    );
    expect(found.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it.each(['node:fs', 'fs/promises', 'node:net', 'http'])(
    'the windowing engine cannot import %s',
    async (mod) => {
      const found = await violations(
        'libs/windowing',
        `import * as io from '${mod}';\nexport const x = io;\n`,
      );
      expect(found.join('\n')).toMatch(/no-restricted-imports/);
    },
  );

  it('the windowing engine cannot read the clock or start timers', async () => {
    const found = await violations(
      'libs/windowing',
      'export const a = Date.now();\nsetTimeout(() => a, 1);\n',
    );
    expect(found).toEqual([
      expect.stringMatching(/no-restricted-properties/),
      expect.stringMatching(/no-restricted-globals/),
    ]);
  });

  it.each([
    ['apps/simulator', 'kafkajs'],
    ['apps/aggregator', '@platformatic/kafka'],
    ['libs/pipeline', 'kafkajs'],
    ['libs/simulation', 'kafkajs'],
    ['tools/infra', 'kafkajs'],
    ['tools/bench', '@platformatic/kafka'],
  ])('%s cannot import the Kafka client library %s: only stream-io may', async (project, lib) => {
    const code = `import type * as client from '${lib}';\nexport type X = typeof client;\n`;
    const banned = `A project tagged with "/^scope:(?!stream$)/" is not allowed to import "${lib}"`;
    expect(await violations(project, code)).toContain(`@nx/enforce-module-boundaries: ${banned}`);
  });

  it('stream-io may import the Kafka client libraries: its adapters do', async () => {
    const code = "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n";
    expect(await violations('libs/stream-io', code)).toEqual([]);
  });

  it('the schema registry client is no Kafka client: event-schemas keeps it', async () => {
    const code = [
      "import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';",
      'export const r = SchemaRegistry;',
    ].join('\n');
    expect(await violations('libs/event-schemas', `${code}\n`)).toEqual([]);
  });

  it('the client ceilings bench, alone outside stream-io, uses the clients directly', async () => {
    const code = [
      "import { Kafka } from 'kafkajs';",
      "import { Consumer } from '@platformatic/kafka';",
      'export const k = [Kafka, Consumer];',
    ].join('\n');
    expect(await violationsIn('tools/bench', 'src/client-ceilings.ts', `${code}\n`)).toEqual([]);
  });

  it('a lib cannot reach into a tool or app by path', async () => {
    const found = await violations(
      'libs/service-config',
      "export * from '../../../tools/infra/src/paths';\n",
    );
    expect(found.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('a util lib cannot depend on the engine', async () => {
    const found = await violations(
      'libs/service-config',
      "export { toMillis } from '@rta/windowing';\n",
    );
    expect(found.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('the engine may use a util lib and pure code passes', async () => {
    const found = await violations(
      'libs/windowing',
      "export { redact } from '@rta/service-config';\n",
    );
    expect(found).toEqual([]);
  });
});
