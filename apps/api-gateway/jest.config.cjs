module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'api-gateway',
  rootDir: __dirname,
};
