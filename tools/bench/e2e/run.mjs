#!/usr/bin/env node
// `npm run bench:e2e [-- --jobs N --runs R ...]`: one real normal-worker process (the built
// bundle, WORKER_CONCURRENCY=1) running trivial jobs pushed with PgJobQueue, end to end:
// push -> claim (NOTIFY wake-up) -> spawn -> complete -> completion NOTIFY heard.
// - latency: one job at a time, bash / nodejs interleaved; per-job overhead =
//   (push -> completion heard) - duration_ms, the script's own time as the executor reports it;
// - throughput: one pushMany burst per language, jobs/s to the last completion;
// - breakdown: a second worker with a tracing preload says where the overhead goes;
// - optional --concurrency sweep of the bursts.
// What is measured and why: docs/benchmarks.md ("End to end (normal worker)"). The last line:
//   e2e: bash overhead p50 <X> ms p99 <Y> ms, <N> jobs/s
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate, startPusher as startDriver } from '../fleet/lib/apps.mjs';
import { createDatabase, dropDatabase, openServer, serverInfo } from '../queue/lib/pg-server.mjs';
import { median } from '../queue/lib/stats.mjs';
import { burstRate, summarise } from './lib/analyse.mjs';
import { breakdown } from './lib/breakdown.mjs';
import { buildAll, buildDir, root } from './lib/build.mjs';
import { printReport } from './lib/report.mjs';
import { startWorker } from './lib/worker.mjs';

const { values: v } = parseArgs({
  options: {
    jobs: { type: 'string', default: '300' },
    runs: { type: 'string', default: '1' },
    'echo-jobs': { type: 'string', default: '50' },
    burst: { type: 'string' },
    'trace-jobs': { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '1' },
    'gap-ms': { type: 'string', default: '20' },
    'warmup-jobs': { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'info' },
    // JOB_LAUNCHER of the measured workers: 1 (the default) or 0 (each job forked by the worker).
    'job-launcher': { type: 'string', default: '1' },
    // Without it, a third worker is traced with its 50 ms empty-pull pause removed (lib/worker-trace.cjs).
    'skip-what-if': { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const num = (name, min = 1) => {
  const n = Number(v[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return n;
};
const o = {
  jobs: num('jobs'),
  runs: num('runs'),
  echoJobs: num('echo-jobs', 0),
  burst: v.burst === undefined ? num('jobs') : num('burst'),
  traceJobs: num('trace-jobs', 0),
  gapMs: num('gap-ms', 0),
  warmupJobs: num('warmup-jobs', 0),
  concurrency: v.concurrency.split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error('--concurrency takes WORKER_CONCURRENCY values 1..64, comma-separated');
    return n;
  }),
};
const log = (line) => process.stdout.write(`${line}\n`);
const startedAt = Date.now();
const SEQ_TIMEOUT_MS = 30_000;

/** Which code the worker was built from: the commit, and local changes on the job path. */
function treeVersion() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', 'apps/normal-worker', 'libs/queue', 'libs/executor', 'libs/worker-loop');
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + uncommitted changes in ${dirty.split('\n').length} file(s) on the job path` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The interleaved order of one sequential phase: bash, nodejs and (while any are left) bash-echo. */
function order(jobs, echoJobs) {
  const out = [];
  for (let i = 0; i < Math.max(jobs, echoJobs); i++) {
    if (i < jobs) out.push('bash', 'nodejs');
    if (i < echoJobs) out.push('bash-echo');
  }
  return out;
}

/** A fresh worker with the tracing preload, the sequential series again; its breakdown. */
async function tracedPhase(driver, db, dbUrl, noEmptyPullDelay) {
  const traceFile = path.join(buildDir, `trace-${process.pid}-${noEmptyPullDelay ? 'what-if' : 'as-is'}.json`);
  // JOB_LAUNCHER=0: the trace hooks child_process.spawn in the worker, where the job's spawn,
  // exit and close are only seen when the worker forks the job itself.
  const worker = await startWorker({ script: scripts.worker, databaseUrl: dbUrl, concurrency: 1, suffix: noEmptyPullDelay ? 'what-if' : 'trace', db, traceFile, noEmptyPullDelay, logLevel: v['log-level'], jobLauncher: '0' });
  let samples;
  let burst;
  try {
    if (o.warmupJobs) await driver.call({ cmd: 'sequential', series: order(o.warmupJobs, o.warmupJobs), gapMs: o.gapMs, timeoutMs: SEQ_TIMEOUT_MS });
    ({ samples } = await driver.call({ cmd: 'sequential', series: order(o.traceJobs, o.traceJobs), gapMs: o.gapMs, timeoutMs: SEQ_TIMEOUT_MS }));
    // A burst never waits for a NOTIFY, so the what-if cannot change it: traced once.
    if (!noEmptyPullDelay) burst = burstRate(await driver.call({ cmd: 'burst', series: 'bash', n: o.traceJobs * 2, timeoutMs: 120_000 }));
  } finally {
    await worker.stop();
  }
  try {
    return breakdown(samples, traceFile, burst);
  } finally {
    rmSync(traceFile, { force: true });
  }
}

async function bursts(driver, n) {
  const out = {};
  for (const series of ['bash', 'nodejs']) {
    out[series] = burstRate(await driver.call({ cmd: 'burst', series, n, timeoutMs: 120_000 + n * 1000 }));
  }
  return out;
}

log(`building the normal-worker, driver and migrate CLI${v.dist ? ' (worker from dist/)' : ''}...`);
const scripts = buildAll({ useDist: v.dist });
const measured = treeVersion();
const server = await openServer(process.env.DATABASE_URL);
// Ctrl-C reaches the worker, the driver and the embedded server (one process group) but skips
// the finally below. The server may be down already, and then its stop() throws before it
// removes the data directory pg-server.mjs named after this process: remove that here.
process.once('SIGINT', () => {
  server
    .stop()
    .catch(() => undefined)
    .finally(() => {
      for (const d of readdirSync(tmpdir())) if (d.startsWith(`millrace-bench-pg-${process.pid}-`)) rmSync(path.join(tmpdir(), d), { recursive: true, force: true });
      process.exit(130);
    });
});
const cleanups = [];
try {
  const info = await serverInfo(server.adminUrl);
  log(`PostgreSQL ${info.version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}, fsync=${info.fsync}, synchronous_commit=${info.sync}), ${availableParallelism()} CPUs, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const dbUrl = await createDatabase(server.adminUrl, 'e2e_bench');
  cleanups.push(() => dropDatabase(server.adminUrl, 'e2e_bench'));
  migrate(scripts.migrate, dbUrl);
  const db = new pg.Client({ connectionString: dbUrl, application_name: 'e2e-bench-check' });
  // On Ctrl-C the server goes down under it: that must not crash us before the clean-up.
  db.on('error', () => undefined);
  await db.connect();
  cleanups.push(() => db.end());
  const driver = await startDriver(scripts.driver, dbUrl);
  cleanups.push(() => driver.stop());
  const clock = await driver.call({ cmd: 'calibrate' });
  log(`measured: ${measured}`);
  log(`driver clock vs database clock: ${clock.offsetMs.toFixed(2)} ms (round trip ${clock.rttMs.toFixed(2)} ms)`);

  const runs = [];
  for (let r = 0; r < o.runs; r++) {
    const worker = await startWorker({ script: scripts.worker, databaseUrl: dbUrl, concurrency: 1, suffix: `run${r}`, db, logLevel: v['log-level'], jobLauncher: v['job-launcher'] });
    try {
      if (o.warmupJobs) await driver.call({ cmd: 'sequential', series: order(o.warmupJobs, o.warmupJobs), gapMs: o.gapMs, timeoutMs: SEQ_TIMEOUT_MS });
      const t0 = Date.now();
      const { samples } = await driver.call({ cmd: 'sequential', series: order(o.jobs, o.echoJobs), gapMs: o.gapMs, timeoutMs: SEQ_TIMEOUT_MS });
      const seqS = (Date.now() - t0) / 1000;
      const stats = summarise(samples);
      const burst = await bursts(driver, o.burst);
      runs.push({ stats, burst, seqS, samples });
      log(`run ${r + 1}/${o.runs}: ${samples.length} sequential jobs in ${seqS.toFixed(1)} s; bash overhead p50 ${stats.bash.overheadP50.toFixed(1)} ms, nodejs ${stats.nodejs.overheadP50.toFixed(1)} ms; bursts ${burst.bash.jobsPerSec.toFixed(1)} / ${burst.nodejs.jobsPerSec.toFixed(1)} jobs/s`);
    } finally {
      const exit = await worker.stop();
      if (exit.code !== 0) log(`note: the worker exited with ${exit.signal ?? exit.code}:\n${worker.output.slice(-2000)}`);
    }
  }

  // The breakdown: as measured, and (--what-if) without WorkerLoop's empty-pull pause.
  const traced = o.traceJobs > 0 ? await tracedPhase(driver, db, dbUrl, false) : null;
  const whatIf = o.traceJobs > 0 && !v['skip-what-if'] ? await tracedPhase(driver, db, dbUrl, true) : null;

  const sweep = [];
  for (const c of o.concurrency.filter((c) => c !== 1)) {
    const worker = await startWorker({ script: scripts.worker, databaseUrl: dbUrl, concurrency: c, suffix: `c${c}`, db, logLevel: v['log-level'], jobLauncher: v['job-launcher'] });
    try {
      sweep.push({ concurrency: c, burst: await bursts(driver, o.burst) });
    } finally {
      await worker.stop();
    }
  }

  const report = { measured, options: o, cpus: availableParallelism(), loadAvg: loadavg(), server: info, embedded: server.embedded, runs, traced, whatIf, sweep, elapsedS: (Date.now() - startedAt) / 1000 };
  if (v.json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(v.json, JSON.stringify(report, null, 2));
  }
  printReport(log, report, median);
} finally {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch((e) => log(`cleanup: ${e.message}`));
  await server.stop();
}
