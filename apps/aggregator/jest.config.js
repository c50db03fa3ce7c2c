// End to end against the real Kafka, registry, PostgreSQL and Elasticsearch (`nx run infra:up`).
module.exports = {
  displayName: 'aggregator',
  preset: '../../jest.preset.js',
  testTimeout: 300_000,
};
