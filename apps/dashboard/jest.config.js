// A real headless Chromium (Debian's) against the real apps and services (`nx run infra:up`).
module.exports = {
  displayName: 'dashboard',
  preset: '../../jest.preset.js',
  testTimeout: 300_000,
};
