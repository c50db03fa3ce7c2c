// Part of the suite talks to the real schema registry and Kafka (`nx run infra:up`).
module.exports = { displayName: 'event-schemas', preset: '../../jest.preset.js', testTimeout: 60_000 };
