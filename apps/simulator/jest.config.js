// End-to-end against the real Kafka and schema registry (`nx run infra:up`).
module.exports = { displayName: 'simulator', preset: '../../jest.preset.js', testTimeout: 120_000 };
