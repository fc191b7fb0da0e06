module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'queue',
  rootDir: __dirname,
};
