// Test environment for every Millrace project.
// - With `testEnvironmentOptions.database`, clones the run's migrated template into a fresh
//   database for this test file (exposed as process.env.MILLRACE_TEST_DATABASE_URL) and drops
//   it afterwards.
// - Fails the file when it leaves sockets, servers or child processes open: the handles of
//   those kinds must be back to what they were before the file ran.
const { TestEnvironment } = require('jest-environment-node');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

const WATCHED = new Set(['TCPWrap', 'TCPServerWrap', 'PipeWrap', 'PipeServerWrap', 'ProcessWrap', 'UDPWrap']);

function countHandles() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (WATCHED.has(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

function excess(before, after) {
  return Object.entries(after)
    .filter(([type, n]) => n > (before[type] ?? 0))
    .map(([type, n]) => `${n - (before[type] ?? 0)} ${type}`);
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(fn) {
  const client = new Client({ connectionString: process.env.MILLRACE_TEST_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

class MillraceEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.useDatabase = Boolean(config.projectConfig.testEnvironmentOptions?.database);
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    if (this.useDatabase) {
      const template = process.env.MILLRACE_TEST_TEMPLATE_DB;
      if (!template || !process.env.MILLRACE_TEST_ADMIN_URL) {
        throw new Error('no test template database: is tools/jest/db.preset.js globalSetup configured?');
      }
      this.database = `millrace_t_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(this.database)} TEMPLATE ${c.escapeIdentifier(template)}`));
      this.global.process.env.MILLRACE_TEST_DATABASE_URL = withDatabase(process.env.MILLRACE_TEST_ADMIN_URL, this.database);
    }
    // Let the admin connection's socket finish closing before taking the baseline.
    await new Promise((r) => setImmediate(r));
    this.baseline = countHandles();
  }

  async teardown() {
    let leaked = excess(this.baseline ?? {}, countHandles());
    // Closing is asynchronous: give handles a moment to go before calling them leaked.
    for (let i = 0; leaked.length > 0 && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      leaked = excess(this.baseline ?? {}, countHandles());
    }
    if (this.database) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(this.database)} WITH (FORCE)`));
    }
    await super.teardown();
    if (leaked.length > 0) {
      throw new Error(`${this.testPath} left open: ${leaked.join(', ')} (close every pool, server and child process in afterAll)`);
    }
  }
}

module.exports = MillraceEnvironment;
