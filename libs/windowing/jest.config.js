module.exports = { displayName: 'windowing', preset: '../../jest.preset.js' };
