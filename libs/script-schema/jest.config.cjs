module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'script-schema',
  rootDir: __dirname,
};
