module.exports = { displayName: 'app-processes', preset: '../../jest.preset.js', testTimeout: 90_000 };
