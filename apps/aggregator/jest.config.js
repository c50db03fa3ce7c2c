// End to end against the real Kafka, registry, PostgreSQL and Elasticsearch (`nx run infra:up`).
module.exports = {
  displayName: 'aggregator',
  preset: '../../jest.preset.js',
  testTimeout: 300_000,
  // commander is ESM-only: compiled like our own sources so the CLI's defaults are tested as users get them
  transformIgnorePatterns: ['/node_modules/(?!commander/)'],
};
