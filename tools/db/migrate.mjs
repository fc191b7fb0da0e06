#!/usr/bin/env node
// `npm run db:migrate`: builds the migrate CLI and applies pending migrations to DATABASE_URL,
// or, without it, to the embedded PostgreSQL under MILLRACE_DATA_DIR (default .data/), which
// it starts for the purpose and stops afterwards. Safe next to running apps: the CLI holds
// the same advisory lock as apps that migrate at start.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../lib/embedded-pg.mjs';
import { Child, say } from '../start/children.mjs';
import { readSettings, SettingsError } from '../start/settings.mjs';
import { migrate, nxEnv, runToEnd, StepFailed } from '../start/steps.mjs';

const log = (line) => say('db:migrate', line);

let settings;
try {
  settings = readSettings(process.env);
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  log(`invalid setting: ${err.message}`);
  process.exit(1);
}

let pg;
let code = 0;
try {
  if (!settings.skipBuild) {
    const build = new Child('build', 'npx', ['nx', 'run', 'data-access:build-migrate', '--outputStyle=static'], {
      env: nxEnv(),
      // A short-lived command: Ctrl-C should reach the build and the migration directly.
      ownGroup: false,
      quiet: true,
      tailLines: 80,
    });
    await runToEnd(build);
  }
  let url = settings.databaseUrl;
  if (!url) {
    mkdirSync(settings.dataDir, { recursive: true, mode: 0o755 });
    const dataDir = path.join(settings.dataDir, 'pg');
    pg = await startEmbeddedPostgres({ dataDir });
    log(`embedded PostgreSQL started (data in ${dataDir})`);
    url = pg.url;
  }
  await runToEnd(migrate(url, process.env, { ownGroup: false }));
} catch (err) {
  code = 1;
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  // Quiet steps (the build) have printed nothing yet: show why they failed.
  if (err instanceof StepFailed && err.child.name === 'build') for (const line of err.child.tail) say('build', line);
} finally {
  await pg?.stop();
}
process.exit(code);
