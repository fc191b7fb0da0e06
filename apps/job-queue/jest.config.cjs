module.exports = {
  ...require('../../tools/jest/db.preset.js'),
  displayName: 'job-queue',
  rootDir: __dirname,
};
