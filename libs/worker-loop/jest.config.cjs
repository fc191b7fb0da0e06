module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'worker-loop',
  rootDir: __dirname,
};
