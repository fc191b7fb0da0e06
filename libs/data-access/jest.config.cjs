module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'data-access',
  rootDir: __dirname,
};
