module.exports = { displayName: 'pipeline', preset: '../../jest.preset.js' };
