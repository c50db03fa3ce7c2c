// Talks to the real Kafka broker (`nx run infra:up`).
module.exports = { displayName: 'stream-io', preset: '../../jest.preset.js', testTimeout: 60_000 };
