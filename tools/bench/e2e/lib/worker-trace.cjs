// Preloaded (NODE_OPTIONS=--require) into the normal-worker for the breakdown phase only:
// timestamps what the worker does for each job without touching apps/ or libs/. It wraps
// the module objects the bundle calls through at call time (pg's Client, child_process,
// fs/promises), records [epoch ms, event, detail] in memory and writes them as JSON to
// E2E_TRACE_FILE when the process exits, so tracing costs no I/O while jobs run.
'use strict';
const { performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const childProcess = require('node:child_process');
const fsp = require('node:fs/promises');
const EventEmitter = require('node:events');
const pg = require('pg');

const out = process.env.E2E_TRACE_FILE;
const events = [];
const now = () => performance.timeOrigin + performance.now();
const rec = (event, detail) => events.push([now(), event, detail]);
// Job directories are named millrace-job-<id>-XXXX (libs/executor temp-dirs.service.ts).
const jobInPath = (p) => /millrace-job-([0-9a-f-]{36})/.exec(String(p))?.[1] ?? null;

/** What a query is: its prepared-statement name, else the start of its text. */
function label(args) {
  const first = args[0];
  const name = typeof first === 'object' && first !== null ? first.name : undefined;
  const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
  if (name) return name;
  if (text.includes('FOR NO KEY UPDATE SKIP LOCKED')) return 'claim';
  if (/INSERT INTO worker_ping/i.test(text)) return 'ping';
  if (/worker_group_config/.test(text)) return 'group_config';
  return text.replace(/\s+/g, ' ').trim().slice(0, 40);
}

/** The job a statement is about, when its first parameter names one. */
function jobOf(args) {
  const values = Array.isArray(args[1]) ? args[1] : args[0]?.values;
  const v = Array.isArray(values) ? values[0] : undefined;
  const id = Array.isArray(v) ? v[0] : v;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function traced(...args) {
  const what = label(args);
  const job = jobOf(args);
  const start = now();
  const done = (rows) => {
    // A claim names its job only in the result.
    const ids = what === 'claim' && Array.isArray(rows) ? rows.map((r) => r.id) : job ? [job] : [];
    events.push([start, 'q', { what, ids, end: now() }]);
  };
  const cb = typeof args[args.length - 1] === 'function' ? args.length - 1 : -1;
  if (cb >= 0) {
    const callback = args[cb];
    args[cb] = function (err, res) {
      done(res?.rows);
      return callback.apply(this, arguments);
    };
    return query.apply(this, args);
  }
  const r = query.apply(this, args);
  if (r && typeof r.then === 'function') r.then((res) => done(res?.rows), () => done(undefined));
  return r;
};

// Notifications on the new-jobs channel wake the worker: when did one arrive?
pg.Client.prototype.emit = function traced(event, msg, ...rest) {
  if (event === 'notification') rec('notify', { channel: msg?.channel });
  return EventEmitter.prototype.emit.call(this, event, msg, ...rest);
};

const spawn = childProcess.spawn;
childProcess.spawn = function traced(command, args, options) {
  const job = options?.env?.WM_JOB_ID ?? null;
  rec('spawn', { job });
  const child = spawn.apply(this, arguments);
  child.once('spawn', () => rec('spawned', { job }));
  child.once('exit', () => rec('exit', { job }));
  child.once('close', () => rec('close', { job }));
  return child;
};

for (const fn of ['mkdtemp', 'rm']) {
  const orig = fsp[fn];
  fsp[fn] = async function traced(p, ...rest) {
    const job = jobInPath(p);
    rec(`${fn}`, { job });
    try {
      return await orig.call(this, p, ...rest);
    } finally {
      rec(`${fn}-done`, { job });
    }
  };
}

// What-if (run.mjs --what-if): WorkerLoop pauses emptyPullDelayMs (50 ms, not configurable
// by the normal worker) after a pull that returned no job, and PgJobSource.pull returns no
// job right after a NOTIFY woke it, so an idle worker claims 50 ms after every wake-up.
// This turns exactly that pause into 0 ms, to measure what setting it to 0 would give.
if (process.env.E2E_NO_EMPTY_PULL_DELAY === '1') {
  const setTimeoutOrig = global.setTimeout;
  global.setTimeout = function whatIf(fn, ms, ...rest) {
    if (ms === 50 && /WorkerLoop\.runMainLoop/.test(new Error().stack ?? '')) {
      rec('empty-pull-delay-skipped', null);
      return setTimeoutOrig.call(this, fn, 0, ...rest);
    }
    return setTimeoutOrig.call(this, fn, ms, ...rest);
  };
}

process.on('exit', () => {
  if (out) writeFileSync(out, JSON.stringify(events));
});
