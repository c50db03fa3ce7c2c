module.exports = { displayName: 'sink-core', preset: '../../jest.preset.js' };
