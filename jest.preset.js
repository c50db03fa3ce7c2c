// Shared by every project's jest.config.js. SWC strips types only (fast); `typecheck` targets run tsc.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // Every test name in the log: CI output shows what really ran against which service.
  verbose: true,
};
