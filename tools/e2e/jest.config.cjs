// End-to-end tests of the developer entry points (`npm start`). They run the launcher as a
// real process on a real (embedded) PostgreSQL, so they get minutes, not seconds.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testTimeout: 180000,
};
