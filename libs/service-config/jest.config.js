module.exports = { displayName: 'service-config', preset: '../../jest.preset.js' };
