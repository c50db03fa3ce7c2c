module.exports = { displayName: 'metrics-catalog', preset: '../../jest.preset.js', testTimeout: 60_000 };
