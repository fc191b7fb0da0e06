module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'agent-worker',
  rootDir: __dirname,
};
