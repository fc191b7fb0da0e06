// Jest settings for projects whose tests need PostgreSQL: a server (TEST_DATABASE_URL or an
// embedded one) and a migrated template database are prepared once per run; every test file
// then gets its own database cloned from the template, dropped after the file.
const path = require('node:path');
const base = require('../../jest.preset.js');

module.exports = {
  ...base,
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'global-teardown.ts'),
  testEnvironmentOptions: { database: true },
};
