// Talks to the real PostgreSQL (`nx run infra:up`); one test restarts a private instance.
module.exports = { displayName: 'sink-postgres', preset: '../../jest.preset.js', testTimeout: 180_000 };
