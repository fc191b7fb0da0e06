// Multi-process system tests: the built apps run as real processes against this file's own
// PostgreSQL database (agents, broker restarts, crashes, drains).
module.exports = {
  ...require('../jest/db.preset.js'),
  displayName: 'system-e2e',
  rootDir: __dirname,
  testTimeout: 120000,
};
