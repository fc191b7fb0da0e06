module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'agent-broker',
  rootDir: __dirname,
};
