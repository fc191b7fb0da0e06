// graphile-worker 0.18 driver. Modes (spec.mode):
//   setup    install graphile-worker's schema (run once on the template database)
//   drain    bulk-enqueue spec.jobs, then time worker processes draining them
//   latency  one worker process idles on LISTEN; time addJob() start -> task start
//   worker   (internal) one worker process of a drain, steered over IPC by its parent
// Variants follow docs/PERFORMANCE.md: `default` is 2 processes x 24 concurrent jobs;
// `batched` adds localQueue 500 and completion/failure batching with delay 0.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';
import { BENCH_PAYLOAD, emitResult, latencyBook, log, now, paced, ranges, readSpec, sleep } from './lib/driver-io.mjs';

const TASK = 'bench';

// Only warnings and errors reach stderr: formatting a line per job would cost the worker
// time that the other systems do not spend. (NO_LOG_SUCCESS=1 is set by the orchestrator
// too, because graphile-worker builds its per-job success message before logging it.)
const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') log(`[graphile ${level}] ${message}`);
});

function workerPreset(variant, concurrency) {
  const base = {
    concurrentJobs: concurrency,
    // graphile-worker's own advice: max(10, concurrency + 2), else it warns about starvation.
    maxPoolSize: Math.max(10, concurrency + 2),
    pollInterval: 2000,
  };
  if (variant === 'default') return base;
  if (variant === 'batched') {
    return { ...base, localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 };
  }
  throw new Error(`unknown graphile variant ${variant}`);
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const wallMs = () => performance.timeOrigin + performance.now();

async function setup(spec) {
  await runMigrations({ connectionString: spec.url, logger });
  return {};
}

async function drain(spec) {
  const utils = await makeWorkerUtils({ connectionString: spec.url, logger });
  try {
    const t0 = performance.now();
    for (const [from, to] of ranges(spec.jobs, spec.chunk)) {
      const batch = [];
      for (let i = from; i < to; i++) batch.push({ identifier: TASK, payload: BENCH_PAYLOAD });
      await utils.addJobs(batch);
    }
    const enqueueMs = performance.now() - t0;
    if (spec.analyze) await utils.withPgClient((c) => c.query('ANALYZE'));

    const children = [];
    for (let p = 0; p < spec.procs; p++) {
      children.push(fork(fileURLToPath(import.meta.url), [JSON.stringify({ ...spec, mode: 'worker' })], { stdio: 'inherit' }));
    }
    const state = children.map(() => ({ ready: false, first: Infinity, done: 0 }));
    let changed = () => {};
    children.forEach((child, i) => {
      child.on('message', (m) => {
        if (m.type === 'ready') state[i].ready = true;
        if (m.type === 'progress') {
          if (m.first !== null) state[i].first = Math.min(state[i].first, m.first);
          state[i].done = m.done;
        }
        changed();
      });
      child.on('exit', (code) => {
        if (code !== 0) throw new Error(`graphile worker process exited with ${code}`);
      });
    });
    const until = async (cond) => {
      while (!cond()) await new Promise((resolve) => (changed = resolve));
    };
    await until(() => state.every((s) => s.ready));
    const goAt = wallMs();
    children.forEach((c) => c.send({ type: 'go' }));
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      changed();
    }, spec.maxDrainSeconds * 1000);
    // Progress arrives every few ms; close to the end, poll the table instead, so the end
    // time does not depend on the reporting tick. The drain is over when the jobs table is
    // empty (completions may still sit in a batch after the last handler ran), which is
    // what a Millrace consumer's last completeMany also means.
    const doneNow = () => state.reduce((n, s) => n + s.done, 0);
    await until(() => timedOut || doneNow() >= spec.jobs * 0.9);
    while (!timedOut) {
      const { rows } = await utils.withPgClient((c) => c.query('SELECT count(*)::int AS n FROM graphile_worker._private_jobs'));
      if (rows[0].n === 0) break;
      await sleep(2);
    }
    clearTimeout(deadline);
    const endAt = wallMs();
    // Time-boxed: handler runs reported by the last progress tick (<= 10 ms old); a batched
    // completion of those may still be in flight, within the same few milliseconds.
    const drained = timedOut ? doneNow() : spec.jobs;
    const firstAt = Math.min(...state.map((s) => s.first));
    children.forEach((c) => c.send({ type: 'stop' }));
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', resolve)))));
    return {
      enqueuePerSec: spec.jobs / (enqueueMs / 1000),
      // Timed from the first task start, not from `go`: this leaves graphile-worker's own
      // start-up (pool, migration check, LISTEN) out, which can only flatter the peer.
      drainPerSec: drained / ((endAt - firstAt) / 1000),
      drained,
      timeBoxed: drained < spec.jobs,
      startupMs: firstAt - goAt,
    };
  } finally {
    await utils.release();
  }
}

async function worker(spec) {
  let done = 0;
  let first = Infinity;
  const options = {
    connectionString: spec.url,
    logger,
    noHandleSignals: true,
    taskList: {
      [TASK]: async () => {
        if (done === 0) first = wallMs();
        done++;
      },
    },
    preset: { worker: workerPreset(spec.variant, spec.concurrency) },
  };
  // IPC is JSON: Infinity would arrive as null, so say "not yet" explicitly.
  const report = () => process.send({ type: 'progress', first: Number.isFinite(first) ? first : null, done });
  process.send({ type: 'ready' });
  const runner = await new Promise((resolve) => {
    process.on('message', (m) => {
      if (m.type === 'go') resolve(run(options));
    });
  });
  const ticker = setInterval(report, 10);
  await new Promise((resolve) => process.on('message', (m) => m.type === 'stop' && resolve()));
  clearInterval(ticker);
  await runner.stop();
  process.disconnect();
  return null;
}

async function latency(spec) {
  const book = latencyBook();
  const runner = await run({
    connectionString: spec.url,
    logger,
    noHandleSignals: true,
    taskList: { [TASK]: async (payload) => book.seen(payload.key) },
    preset: { worker: workerPreset(spec.variant, spec.concurrency) },
  });
  const utils = await makeWorkerUtils({ connectionString: spec.url, logger });
  try {
    // Warm-up pushes are not recorded: the first ones pay for connections and plans.
    await paced({ rate: spec.rate, seconds: spec.warmupSeconds }, (i) => utils.addJob(TASK, { ...BENCH_PAYLOAD, key: `w${i}` }));
    await sleep(200);
    const pushMs = [];
    const pushed = await paced({ rate: spec.rate, seconds: spec.seconds }, async (i) => {
      book.sent(`m${i}`);
      const t0 = now();
      await utils.addJob(TASK, { ...BENCH_PAYLOAD, key: `m${i}` });
      pushMs.push(now() - t0);
    });
    return { pushed, pushMs, ...(await book.settled(5000)) };
  } finally {
    await utils.release();
    await runner.stop();
  }
}

const spec = readSpec();
const modes = { setup, drain, worker, latency };
const result = await modes[spec.mode](spec);
if (result) emitResult(result);
