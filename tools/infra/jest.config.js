// Smoke tests talk to the real services started by `nx run infra:up`: allow for JVM warm-up.
module.exports = { displayName: 'infra', preset: '../../jest.preset.js', testTimeout: 120_000 };
