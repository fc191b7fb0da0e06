// One real normal-worker process for a phase of the benchmark: started from the built
// bundle, ready once /health/ready answers and its first ping is in worker_ping (its loop
// runs and its LISTEN is active: the service starts the listener before the loop).
import path from 'node:path';
import { freePort } from '../../../lib/embedded-pg.mjs';
import { startApp } from '../../fleet/lib/apps.mjs';
import { buildDir } from './build.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {object} o
 * @param {string} o.script       the worker bundle
 * @param {string} o.databaseUrl
 * @param {number} o.concurrency  WORKER_CONCURRENCY
 * @param {string} o.suffix       WORKER_SUFFIX: the worker is wk-e2e-<suffix>
 * @param {pg.Client} o.db        for the ping check
 * @param {string} [o.traceFile]  preload lib/worker-trace.cjs, writing its events here on exit
 * @param {boolean} [o.noEmptyPullDelay]  with traceFile: the what-if of worker-trace.cjs
 * @param {string} [o.logLevel]
 * @param {string} [o.jobLauncher]  JOB_LAUNCHER ('1': jobs started by the job launcher; '0': forked by the worker)
 */
export async function startWorker({ script, databaseUrl, concurrency, suffix, db, traceFile, noEmptyPullDelay = false, logLevel = 'info', jobLauncher = '1' }) {
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    WORKER_GROUP: 'e2e',
    WORKER_SUFFIX: suffix,
    WORKER_CONCURRENCY: String(concurrency),
    HEALTH_PORT: String(port),
    LOG_LEVEL: logLevel,
    JOB_LAUNCHER: jobLauncher,
    // The worker's own PATH default, written out: jobs find bash where production would.
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  };
  // Job environments are built from scratch (libs/executor job-environment.util.ts), so
  // NODE_OPTIONS reaches the worker only, never a nodejs job.
  if (traceFile) Object.assign(env, { NODE_OPTIONS: `--require ${path.join(path.dirname(buildDir), 'lib/worker-trace.cjs')}`, E2E_TRACE_FILE: traceFile });
  if (traceFile && noEmptyPullDelay) env.E2E_NO_EMPTY_PULL_DELAY = '1';
  const app = startApp(`normal-worker (${suffix})`, script, env, port);
  try {
    await app.ready(60_000);
    const name = `wk-e2e-${suffix}`;
    const deadline = Date.now() + 20_000;
    while ((await db.query('SELECT 1 FROM worker_ping WHERE worker = $1', [name])).rowCount === 0) {
      if (Date.now() > deadline) throw new Error(`${name} did not ping within 20 s:\n${app.output.slice(-2000)}`);
      await sleep(50);
    }
  } catch (e) {
    await app.stop(2_000);
    throw e;
  }
  return app;
}
