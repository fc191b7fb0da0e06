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
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);

// Tally Jest's per-project "Tests:" lines so the run ends with one plain total line.
const totals = { passed: 0, failed: 0, skipped: 0, projects: 0 };
const tally = (line) => {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  const m = /^Tests:\s+(.*)\s+(\d+) total\s*$/.exec(plain.trim());
  if (!m) return;
  totals.projects++;
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    if (what === 'todo') continue;
    totals[what] += Number(n);
  }
};
for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  let rest = '';
  stream.on('data', (buf) => {
    out.write(buf);
    const lines = (rest + buf.toString()).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(tally);
  });
  stream.on('end', () => tally(rest));
}
let code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? (s ? 1 : 0))));
if (code === 0 && totals.passed === 0) {
  console.error('no test ran: treating the run as failed');
  code = 1;
}
console.log(`\n${totals.projects} projects`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
if (pg) {
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
