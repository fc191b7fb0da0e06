#!/usr/bin/env node
// `npm test`: runs every project's tests through Nx.
// Uses TEST_DATABASE_URL when set; otherwise starts one embedded PostgreSQL for the whole run
// (each Jest run still migrates its own template and clones a database per test file).
// Extra arguments go to `nx run-many`, e.g. `npm test -- --projects=tags`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../lib/embedded-pg.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true' };
let pg;
let dataDir;
if (!env.TEST_DATABASE_URL) {
  dataDir = mkdtempSync(path.join(tmpdir(), 'millrace-test-pg-'));
  pg = await startEmbeddedPostgres({ dataDir, fast: true });
  env.TEST_DATABASE_URL = pg.url;
  console.log(`test database: embedded PostgreSQL on port ${pg.port}`);
} else {
  console.log('test database: TEST_DATABASE_URL');
}

const args = ['nx', 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=static', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env });
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
if (pg) {
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
