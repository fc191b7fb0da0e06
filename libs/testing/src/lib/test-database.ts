/**
 * The URL of this test file's own database, cloned from the migrated template by the
 * Millrace Jest environment (projects using tools/jest/db.preset.js).
 */
export function testDatabaseUrl(): string {
  const url = process.env['MILLRACE_TEST_DATABASE_URL'];
  if (!url) throw new Error('no test database: use tools/jest/db.preset.js in this project\'s jest.config.cjs');
  return url;
}

/** The server's maintenance database URL (to create or inspect other databases). */
export function testAdminUrl(): string {
  const url = process.env['MILLRACE_TEST_ADMIN_URL'];
  if (!url) throw new Error('no test server: use tools/jest/db.preset.js in this project\'s jest.config.cjs');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
