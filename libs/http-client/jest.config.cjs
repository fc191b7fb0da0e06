module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'http-client',
  rootDir: __dirname,
};
