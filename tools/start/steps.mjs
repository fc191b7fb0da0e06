// Steps shared by `npm start` and `npm run db:migrate`: building bundles with Nx and applying
// migrations with the bundled migrate CLI (the same code the apps run at start).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Child } from './children.mjs';
import { REPO_ROOT } from './settings.mjs';

export const MIGRATE_BUNDLE = path.join(REPO_ROOT, 'dist/tools/migrate/main.js');
export const appBundle = (app) => path.join(REPO_ROOT, 'dist/apps', app, 'main.js');

/** The environment Nx needs to run unattended: no daemon, no cloud, no interactive UI. */
export function nxEnv(env = process.env) {
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
}

export class StepFailed extends Error {
  /** @param {Child} child */
  constructor(message, child) {
    super(message);
    this.child = child;
  }
}

/** Waits for a one-shot child; throws StepFailed (carrying its output tail) unless it exits 0. */
export async function runToEnd(child) {
  const { code, signal } = await child.exited;
  if (code !== 0) {
    throw new StepFailed(`${child.name} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`, child);
  }
}

/**
 * `npx nx run-many -t <targets>`. Quiet: a good build is a dozen lines of noise, so only a
 * failed one shows its output (the last 80 lines, where Nx and esbuild put the error).
 */
export function nxRunMany(name, targets, env = process.env) {
  return new Child(name, 'npx', ['nx', 'run-many', '-t', ...targets, '--outputStyle=static'], {
    env: nxEnv(env),
    cwd: REPO_ROOT,
    quiet: true,
    tailLines: 80,
  });
}

/** Runs the migrate bundle against `databaseUrl` (advisory-locked, so safe next to apps). */
export function migrate(databaseUrl, env = process.env, { ownGroup = true } = {}) {
  return new Child('migrate', process.execPath, [MIGRATE_BUNDLE], {
    env: { ...env, DATABASE_URL: databaseUrl },
    cwd: REPO_ROOT,
    ownGroup,
  });
}

/** Names the bundles that are missing, for runs that skip the build. */
export function missingBundles(apps) {
  return [MIGRATE_BUNDLE, ...apps.map(appBundle)].filter((f) => !existsSync(f)).map((f) => path.relative(REPO_ROOT, f));
}
