#!/usr/bin/env node
// `npm run bench:fleet [-- --agents N --rate R --seconds S ...]`: one real agent-broker
// process serving N simulated agents (update_ping every 5 s, pull_job long polls, send_result
// at once) while jobs are pushed at R/s; then an idle-dispatch probe and a comparison of one
// real agent-worker with one real normal-worker. What is measured and why: docs/benchmarks.md
// ("Fleet"). The last line is the summary:
//   fleet: <N> agents, <C> db connections, p50 <A> ms p99 <B> ms, lost <L>, duplicated <D>
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../../lib/embedded-pg.mjs';
import { createDatabase, dropDatabase, openServer, serverInfo } from '../queue/lib/pg-server.mjs';
import { median } from '../queue/lib/stats.mjs';
import { buildAll, maxOpenFiles, migrate, root, startApp, startPusher } from './lib/apps.mjs';
import { compareWorkers } from './lib/compare.mjs';
import { startFleet } from './lib/fleet.mjs';
import { duplicates, latencies, printReport } from './lib/report.mjs';
import { dbConnectionSampler, listenOverflows, livenessProbe, procSampler } from './lib/samplers.mjs';
import { dispatchBreakdown, dispatchTimeline, drained, outcome } from './lib/db-checks.mjs';

const { values: v } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    // Jobs per push: 1 = one INSERT + NOTIFY per job (API clients); more = pushMany batches.
    'push-batch': { type: 'string', default: '1' },
    seconds: { type: 'string', default: '20' },
    'warmup-seconds': { type: 'string', default: '2' },
    // The connected fleet with no jobs: what pings and poll renewals alone cost the broker.
    'quiet-seconds': { type: 'string', default: '5' },
    clients: { type: 'string' },
    groups: { type: 'string', default: '4' },
    'wait-s': { type: 'string', default: '25' },
    'ping-ms': { type: 'string', default: '5000' },
    // The worker loop's full-ping interval while its polls stand in for pings (libs/worker-loop).
    'full-ping-ms': { type: 'string', default: '30000' },
    // Ping every --ping-ms even while polling: the load before the broker counted polls as pings.
    'always-ping': { type: 'boolean', default: false },
    // Agents started per second. 500/s keeps the broker's accept queue (Node's default
    // backlog, 511) from overflowing, and spreads the 25 s poll renewals over 20 s at 10,000.
    ramp: { type: 'string', default: '500' },
    'idle-jobs': { type: 'string', default: '200' },
    'idle-gap-ms': { type: 'string', default: '20' },
    'drain-seconds': { type: 'string', default: '15' },
    'db-pool-max': { type: 'string', default: '8' },
    'broker-log-level': { type: 'string', default: 'warn' },
    // Many short rounds in alternating order: the shared machine's speed drifts by tens of
    // per cent within a minute, and a round of each worker side by side sees the same drift.
    'compare-jobs': { type: 'string', default: '200' },
    'compare-rounds': { type: 'string', default: '6' },
    // Jobs each worker runs first, not measured (warm-up).
    'compare-warmup-jobs': { type: 'string', default: '200' },
    'skip-compare': { type: 'boolean', default: false },
    // Accepted for the wording; the comparison runs unless --skip-compare.
    'compare-normal': { type: 'boolean', default: false },
    logs: { type: 'boolean', default: false },
    // Diagnostics: node flags for the broker (e.g. --trace-gc) and a file for its output.
    'broker-node-args': { type: 'string' },
    // Extra node flags for the comparison's two workers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/w").
    'compare-node-args': { type: 'string' },
    // The comparison as deployed, with the server elsewhere: the two workers (and their jobs)
    // on the last CPU, the broker and the embedded PostgreSQL on the others (taskset).
    'compare-pin': { type: 'boolean', default: false },
    // JOB_LAUNCHER for the comparison's two workers: 1 (their default) starts jobs through the
    // job launcher, 0 has each worker fork its jobs itself.
    'compare-job-launcher': { type: 'string', default: '1' },
    // A/B: another agent-worker bundle (e.g. another tree's tools/bench/fleet/.build/agent-worker.js) in the normal worker's place.
    'compare-agent-b': { type: 'string' },
    'broker-output': { type: 'string' },
    dist: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const num = (name, min = 1) => {
  const n = Number(v[name]);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
  return n;
};
const o = {
  agents: num('agents'),
  rate: num('rate'),
  pushBatch: num('push-batch'),
  seconds: num('seconds'),
  warmupSeconds: num('warmup-seconds', 0),
  quietSeconds: num('quiet-seconds', 0),
  groups: num('groups'),
  waitS: num('wait-s'),
  pingMs: num('ping-ms', 100),
  fullPingMs: num('full-ping-ms', 100),
  alwaysPing: v['always-ping'],
  ramp: num('ramp'),
  idleJobs: num('idle-jobs', 0),
  idleGapMs: num('idle-gap-ms', 0),
  drainSeconds: num('drain-seconds'),
  dbPoolMax: num('db-pool-max', 2),
  compareJobs: num('compare-jobs'),
  compareRounds: num('compare-rounds'),
  compareWarmupJobs: num('compare-warmup-jobs', 0),
  compareAgentB: v['compare-agent-b'] === undefined ? undefined : path.resolve(v['compare-agent-b']),
};
if (o.compareAgentB !== undefined && !existsSync(o.compareAgentB)) {
  throw new Error(`--compare-agent-b: ${o.compareAgentB} does not exist (an agent-worker bundle, e.g. another tree's tools/bench/fleet/.build/agent-worker.js after a bench:fleet run there)`);
}
// One client process holds ~2,500 agents: a socket each plus pooled ones for pings/results.
const clients = v.clients ? num('clients') : Math.max(1, Math.ceil(o.agents / 2500));

const startedAt = Date.now();
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tags = Array.from({ length: o.groups }, (_, g) => `fleet-${g}`);

// Every long poll is a socket in the broker and in a client: refuse a run the fd limits
// cannot hold instead of measuring EMFILE.
const ownFdLimit = maxOpenFiles(process.pid);
const needBroker = o.agents + 1000;
const needClient = 2 * Math.ceil(o.agents / clients) + 500;
if (ownFdLimit < Math.max(needBroker, needClient)) {
  throw new Error(`open-file limit ${ownFdLimit} (inherited by the broker and clients) is too low: the broker needs ~${needBroker}, each of ${clients} client process(es) ~${needClient}; raise ulimit -n or use --clients`);
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
log(`npm run bench:fleet -- ${process.argv.slice(2).join(' ')}   (tree at ${commit}; uncommitted changes are measured too)`);
log(`building the broker, workers and pusher from the tree${v.dist ? ' (apps from dist/)' : ''}...`);
const scripts = buildAll({ useDist: v.dist });
const server = await openServer(process.env.DATABASE_URL);
const cleanups = [];
try {
  const info = await serverInfo(server.adminUrl);
  log(`PostgreSQL ${info.version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}, fsync=${info.fsync}), ${availableParallelism()} CPUs, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const dbUrl = await createDatabase(server.adminUrl, 'fleet_bench');
  cleanups.push(() => dropDatabase(server.adminUrl, 'fleet_bench'));
  migrate(scripts.migrate, dbUrl);

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const brokerPort = await freePort();
  const broker = startApp('agent-broker', scripts.broker, {
    DATABASE_URL: dbUrl,
    DB_POOL_MAX: String(o.dbPoolMax),
    PORT: String(brokerPort),
    JWT_PUBLIC_KEY: publicKey,
    JOB_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: v['broker-log-level'],
  }, brokerPort, { outputFile: v['broker-output'], nodeArgs: v['broker-node-args']?.split(/\s+/).filter(Boolean) });
  cleanups.push(() => broker.stop());
  await broker.ready();
  const brokerFdLimit = maxOpenFiles(broker.pid);
  const pusher = await startPusher(scripts.pusher, dbUrl);
  cleanups.push(() => pusher.stop());
  const db = new pg.Client({ connectionString: dbUrl, application_name: 'fleet-bench-check' });
  await db.connect();
  cleanups.push(() => db.end());

  const fleetStart = Date.now();
  const overflowsBefore = listenOverflows();
  const conns = await dbConnectionSampler(dbUrl);
  const fleet = startFleet({ agents: o.agents, clients, baseUrl: `http://127.0.0.1:${brokerPort}`, privateKeyPem: privateKey, groups: o.groups, waitS: o.waitS, pingMs: o.pingMs, fullPingMs: o.fullPingMs, alwaysPing: o.alwaysPing, rampPerSec: o.ramp, logs: v.logs, deadlineMs: Date.now() + 600_000 });
  const procs = procSampler({ pids: { broker: [broker.pid], agents: fleet.pids(), pusher: [pusher.pid] }, fdPid: broker.pid });
  const probe = livenessProbe(`http://127.0.0.1:${brokerPort}`);

  // Connected: every agent started and has a long poll open (nothing is pushed yet).
  const rampDeadline = Date.now() + 30_000 + (1000 * o.agents) / o.ramp;
  let connected = 0;
  while (Date.now() < rampDeadline && (fleet.started < o.agents || fleet.openPolls < o.agents)) {
    if (!broker.alive) throw new Error(`the broker died during the ramp:\n${broker.output.slice(-3000)}`);
    connected = Math.max(connected, fleet.openPolls);
    await sleep(250);
  }
  connected = Math.max(connected, fleet.openPolls);
  const rampS = (Date.now() - fleetStart) / 1000;
  log(`${connected} of ${o.agents} agents connected (long polls open), ${clients} client process(es)`);
  await sleep(1000);
  const clientSkew = await fleet.clockSkew();
  const pushSkew = await pusherSkew(pusher);
  const skew = { offsetMs: Math.max(clientSkew.offsetMs, pushSkew.offsetMs), uncertaintyMs: Math.max(clientSkew.uncertaintyMs, pushSkew.uncertaintyMs) };
  const q0 = Date.now();
  const qReq0 = fleet.requests;
  await sleep(o.quietSeconds * 1000);
  const q1 = Date.now();
  const quietRequests = fleet.requests - qReq0;

  // Warm-up, then the measured steady phase; open polls are sampled from the clients.
  const warm = o.warmupSeconds > 0 ? await pusher.call({ cmd: 'steady', rate: o.rate, seconds: o.warmupSeconds, tags, phase: 'warmup', maxInFlight: 8, batch: o.pushBatch }) : { ids: [] };
  const polls = [];
  const pollTimer = setInterval(() => polls.push(fleet.openPolls), 500);
  const t0 = Date.now();
  const sReq0 = fleet.requests;
  const steady = await pusher.call({ cmd: 'steady', rate: o.rate, seconds: o.seconds, tags, phase: 'steady', maxInFlight: 8, batch: o.pushBatch });
  const t1 = Date.now();
  const steadyRequests = fleet.requests - sReq0;
  clearInterval(pollTimer);
  await drained(db, 'fleet-%', o.drainSeconds);

  // Idle agents: one job at a time, the next only after the last was received.
  await sleep(1000);
  const idle = { pushed: 0, missed: 0, ids: [] };
  for (let i = 0; i < o.idleJobs; i++) {
    const r = await pusher.call({ cmd: 'one', tag: tags[i % tags.length], phase: 'idle' });
    idle.pushed++;
    idle.ids.push(r.id);
    if (!(await fleet.seen(r.id, 3000))) idle.missed++;
    await sleep(o.idleGapMs);
  }
  await drained(db, 'fleet-%', o.drainSeconds);
  const t2 = Date.now();

  const agentStats = await fleet.stop();
  const overflows = listenOverflows() - overflowsBefore;
  procs.stop();
  probe.stop();
  await conns.stop();
  const steadyWindow = procs.window(t0, t1);
  const quietWindow = procs.window(q0, q1);
  const run = procs.window(startedAt, t2);

  // Lost: pushed but not completed successfully by now (after the drain periods).
  const pushedIds = [...warm.ids, ...steady.ids, ...idle.ids];
  const done = await outcome(db, pushedIds);

  let compare;
  if (!v['skip-compare']) {
    log('comparing one agent-worker with one normal-worker...');
    compare = await compareWorkers({ scripts, databaseUrl: dbUrl, brokerUrl: `http://127.0.0.1:${brokerPort}`, brokerPid: broker.pid, privateKeyPem: privateKey, jobs: o.compareJobs, rounds: o.compareRounds, warmupJobs: o.compareWarmupJobs, pusher, log, nodeArgs: v['compare-node-args']?.split(/\s+/).filter(Boolean), pin: v['compare-pin'] ? { pgDataDir: server.dataDir } : undefined, jobLauncher: v['compare-job-launcher'], agentB: o.compareAgentB });
  }

  const report = {
    options: o,
    clients,
    cpus: availableParallelism(),
    loadAvg: loadavg()[0].toFixed(2),
    startedAt,
    connected,
    rampS,
    brokerFdLimit,
    openPolls: { min: polls.length ? Math.min(...polls) : NaN, median: median(polls) },
    db: conns.max,
    steady,
    steadyMs: latencies(fleet.received, 'steady'),
    idle,
    idleMs: latencies(fleet.received, 'idle'),
    skew,
    overflows,
    quietWindow,
    quietRequests,
    quietS: (q1 - q0) / 1000,
    steadyRequests,
    steadyS: (t1 - t0) / 1000,
    liveQuietMs: probe.window(q0, q1),
    steadyWindow,
    run,
    agentStats,
    pushed: pushedIds.length,
    completedOk: done.ok,
    stillQueued: done.queued,
    lost: pushedIds.length - done.ok,
    steadyDb: await dispatchBreakdown(db, 'steady'),
    idleDb: await dispatchBreakdown(db, 'idle'),
    liveSteadyMs: probe.window(t0, t1),
    clientLagSteadyMs: fleet.lagMaxMs(t0, t1),
    dup: duplicates(fleet.received, fleet.completed),
    compare,
  };
  if (v.json) writeFileSync(v.json, JSON.stringify({ ...report, steadyTimeline: await dispatchTimeline(db, 'steady'), steady: { ...steady, ids: undefined }, agentStats: { ...agentStats, pingMs: undefined } }, null, 2));
  const brokerExit = await broker.stop();
  if (brokerExit.code !== 0) log(`note: the broker exited with ${brokerExit.signal ?? brokerExit.code} on SIGTERM:\n${broker.output.slice(-2000)}`);
  printReport(log, report);
} finally {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch((e) => log(`cleanup: ${e.message}`));
  await server.stop();
}

async function pusherSkew(p) {
  const { performance } = await import('node:perf_hooks');
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 5; i++) {
    const a = performance.timeOrigin + performance.now();
    const { now } = await p.call({ cmd: 'clock' });
    const b = performance.timeOrigin + performance.now();
    if (b - a < best) {
      best = b - a;
      offset = now - (a + b) / 2;
    }
  }
  return { offsetMs: Math.abs(offset), uncertaintyMs: best / 2 };
}
