// Runs the deliberately leaky fixture files of src/fixtures, for harness.leak-check.spec.ts.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'harness-fixtures',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/fixtures/*.fixture.ts'],
};
