module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'normal-worker',
  rootDir: __dirname,
};
