#!/usr/bin/env node
// `npm start`: builds every app, starts PostgreSQL (embedded under MILLRACE_DATA_DIR unless
// DATABASE_URL is set), applies migrations, starts the apps as child processes and prints
// `Millrace is ready at http://localhost:<PORT>` once every app answers /health/ready.
// Ctrl-C or SIGTERM stops the apps (they drain), then PostgreSQL, and exits 0.
// What runs, and the hooks for the demo agent and the admin login: ./apps.mjs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../lib/embedded-pg.mjs';
import { AGENT_APPS, SERVER_APPS, adminLogin, mintDemoAgentToken } from './apps.mjs';
import { Child, say, waitReady } from './children.mjs';
import { localSecrets } from './secrets.mjs';
import { readSettings, SettingsError } from './settings.mjs';
import { appBundle, migrate, missingBundles, nxRunMany, runToEnd, StepFailed } from './steps.mjs';

const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 120_000;
const log = (line) => say('launcher', line);

let settings;
try {
  settings = readSettings(process.env);
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  log(`invalid setting: ${err.message}`);
  process.exit(1);
}

/** Children still to be stopped: one-shot steps, the apps, and PostgreSQL (stopped last). */
const running = new Set();
let postgres;
let stopping;

function track(child) {
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

/** Stops everything in order and exits with `code`; repeated calls share one shutdown. */
function shutdown(code, reason) {
  stopping ??= (async () => {
    log(`stopping (${reason})`);
    await Promise.all([...running].map((c) => c.stop(STOP_GRACE_MS)));
    if (postgres) await postgres.stop(STOP_GRACE_MS);
    log('stopped');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) {
      void shutdown(0, `${signal}; press Ctrl-C again to kill everything at once`);
      return;
    }
    log(`second ${signal}: killing everything`);
    for (const c of [...running, postgres]) c?.kill();
    process.exit(1);
  });
}

// Under `npm start`, npm (or the shell between it and us) may go away without passing a
// signal on; nothing would stop the apps then. Only under npm: a launcher started with
// nohup from a shell that then exits is meant to keep running.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0, 'npm exited');
  }, 1000).unref();
}

function failWith(err, what = 'start-up failed') {
  if (stopping) return;
  log(`${what}: ${err.message}`);
  if (err.child?.tail.length) {
    log(`last output of ${err.child.name}:`);
    for (const line of err.child.tail) say(err.child.name, line);
  }
  void shutdown(1, what);
}

/** Starts PostgreSQL in its own process (see pg-host.mjs) and resolves its URL. */
async function startPostgres(dataDir) {
  postgres = new Child('postgres', process.execPath, [path.join(import.meta.dirname, 'pg-host.mjs'), path.join(dataDir, 'pg')], {
    env: process.env,
    ipc: true,
  });
  const url = await new Promise((resolve, reject) => {
    postgres.proc.once('message', (m) => resolve(m.url));
    void postgres.exited.then(() => reject(new StepFailed('PostgreSQL did not start', postgres)));
  });
  log(`PostgreSQL ready (pid ${postgres.pid}, data in ${path.join(dataDir, 'pg')})`);
  return url;
}

/** Starts one wave of apps together and waits until each is ready. */
async function startWave(specs, ctx) {
  const ports = {};
  for (const spec of specs) {
    ports[spec.name] = spec.name === 'api-gateway' ? settings.gatewayPort : (settings.ports[spec.name] ?? (await freePort()));
    ctx.urls[spec.name] = `http://127.0.0.1:${ports[spec.name]}`;
  }
  const started = specs.map((spec) => {
    const child = track(
      new Child(spec.name, process.execPath, [appBundle(spec.name)], {
        env: {
          ...process.env,
          LOG_LEVEL: settings.logLevel,
          // Lets an app report its own overrun before the launcher's SIGKILL at 10 s.
          SHUTDOWN_GRACE_S: process.env.SHUTDOWN_GRACE_S || '8',
          [spec.portVar]: String(ports[spec.name]),
          ...spec.env(ctx),
        },
      }),
    );
    log(`started ${spec.name} (pid ${child.pid})`);
    return { spec, child };
  });
  await Promise.all(
    started.map(async ({ spec, child }) => {
      try {
        await waitReady(child, `${ctx.urls[spec.name]}/health/ready`, READY_TIMEOUT_MS);
      } catch (err) {
        throw new StepFailed(err.message, child);
      }
      log(`${spec.name} ready at ${ctx.urls[spec.name]} (pid ${child.pid})`);
      // From now on an exit is a crash: stop the rest rather than run half a system.
      void child.exited.then(({ code, signal }) => {
        if (!stopping) failWith(new StepFailed(`${spec.name} exited (${signal ?? `code ${code}`})`, child), 'an app stopped');
      });
    }),
  );
}

async function main() {
  if (settings.skipBuild) {
    const missing = missingBundles([...SERVER_APPS, ...AGENT_APPS].map((a) => a.name));
    if (missing.length) throw new Error(`MILLRACE_SKIP_BUILD is set but these are missing: ${missing.join(', ')}`);
  } else {
    log('building the apps and the migrate CLI');
    await runToEnd(track(nxRunMany('build', ['build', 'build-migrate'])));
  }
  // 0755: as root, PostgreSQL runs as the `postgres` user, which must reach <dataDir>/pg.
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o755 });
  const secrets = localSecrets(settings.dataDir, process.env);
  const databaseUrl = settings.databaseUrl ?? (await startPostgres(settings.dataDir));
  if (stopping) return;
  await runToEnd(track(migrate(databaseUrl)));
  if (stopping) return;

  const ctx = {
    databaseUrl,
    logLevel: settings.logLevel,
    dataDir: settings.dataDir,
    urls: {},
    secrets,
    demoAgentToken: undefined,
    env: process.env,
  };
  await startWave(SERVER_APPS, ctx);
  ctx.demoAgentToken = await mintDemoAgentToken(ctx);
  const agents = AGENT_APPS.filter((a) => a.enabled?.(ctx) ?? true);
  if (agents.length) await startWave(agents, ctx);
  else log('no agent worker yet: it starts once the gateway can mint agent tokens (see tools/start/apps.mjs)');
  if (stopping) return;

  process.stdout.write(`Millrace is ready at http://localhost:${settings.gatewayPort}\n`);
  const login = adminLogin(ctx);
  if (login) process.stdout.write(`${login}\n`);
}

main().catch(failWith);
