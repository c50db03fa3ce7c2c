// Talks to the real Elasticsearch (`nx run infra:up`); one test restarts a private node.
module.exports = { displayName: 'sink-elasticsearch', preset: '../../jest.preset.js', testTimeout: 240_000 };
