// --compare: one real agent-worker (through the broker, HTTP only) against one real
// normal-worker (PostgreSQL directly) on the same trivial bash jobs (`true`), one after the
// other, same count, each worker at its default concurrency (1). Jobs/s is measured on the
// database's clock: first job's created_at to last job's completed_at.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { freePort } from '../../../lib/embedded-pg.mjs';
import { startApp } from './apps.mjs';
import { agentTokenMinter } from './agent-http.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(probe, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * CPU seconds used so far (user + system, from /proc; Linux only, else 0) by each named group
 * of processes. A worker's group (`worker: true`) counts its job launcher with it (a child
 * of the worker) and gets three figures: `<name>` with the jobs' processes (reaped children of
 * the worker or of its launcher), `<name> (own)` without them, and `<name> (launcher)`, the
 * launcher's own part of `(own)`.
 */
function cpuSeconds(groups) {
  const stats = procStats();
  const launchers = [...stats.values()].filter((c) => c.launcher);
  const out = {};
  for (const [name, { pids, worker }] of Object.entries(groups)) {
    let own = 0;
    let children = 0;
    let launcher = 0;
    for (const pid of pids(stats)) {
      const t = stats.get(Number(pid));
      if (!t) continue;
      own += t.own;
      children += t.children;
      if (!worker) continue;
      for (const c of launchers.filter((l) => l.ppid === Number(pid))) {
        own += c.own;
        launcher += c.own;
        children += c.children;
      }
    }
    out[name] = (own + (worker ? children : 0)) / 100;
    if (worker) {
      out[`${name} (own)`] = own / 100;
      out[`${name} (launcher)`] = launcher / 100;
    }
  }
  return out;
}

/** pid -> { comm, ppid, own, children (ticks), launcher (is a job launcher) } for every process. */
function procStats() {
  const stats = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return stats;
  }
  for (const d of entries) {
    try {
      const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
      // After the command name: state is field 3, ppid 4; utime 14, stime 15, cutime 16, cstime 17.
      const f = raw.slice(raw.lastIndexOf(') ') + 2).split(' ');
      const comm = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
      const launcher = comm === 'node' && Number(f[1]) > 1 && readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('millrace-job-launcher');
      stats.set(Number(d), { comm, ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]), launcher });
    } catch {
      // Gone meanwhile.
    }
  }
  return stats;
}

/** Every PostgreSQL process of the machine (the benchmark's server is the busy one). */
function postgresPids(stats = procStats()) {
  return [...stats].filter(([, s]) => s.comm === 'postgres').map(([pid]) => pid);
}

/** The embedded server's processes: postgres processes whose working directory is its data directory. */
function postgresPidsOf(dataDir) {
  return postgresPids().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === dataDir;
    } catch {
      return false;
    }
  });
}

/**
 * --compare-pin: the workers (their jobs inherit it) on the last CPU, the broker and the
 * embedded PostgreSQL (new backends inherit the postmaster's) on the others: each side has
 * its own cores, as when agents and normal workers run on other machines than the server.
 */
function pinProcesses({ workerPids, brokerPid, pgDataDir }) {
  const cpus = availableParallelism();
  if (cpus < 2) return 'not pinned: one CPU';
  if (!pgDataDir) return 'not pinned: PostgreSQL is not the embedded one (DATABASE_URL)';
  const last = String(cpus - 1);
  const rest = cpus === 2 ? '0' : `0-${cpus - 2}`;
  const pg = postgresPidsOf(pgDataDir);
  const pin = (list, pid) => execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
  for (const pid of workerPids) pin(last, pid);
  for (const pid of [brokerPid, ...pg]) pin(rest, pid);
  return `pinned: the workers and their jobs on CPU ${last}, the broker and PostgreSQL (${pg.length} processes) on CPU ${rest}`;
}

/** Pushes `n` jobs in one pushMany and waits (bounded) until all are completed. */
async function measure(db, pusher, tag, n, timeoutMs, cpuGroups) {
  const cpuBefore = cpuSeconds(cpuGroups);
  const { ids } = await pusher.call({ cmd: 'many', tag, n, phase: `compare-${tag}` });
  const count = async () => (await db.query('SELECT count(*)::int AS n FROM job_completed WHERE id = ANY($1::uuid[])', [ids])).rows[0].n;
  const deadline = Date.now() + timeoutMs;
  while ((await count()) < n && Date.now() < deadline) await sleep(25);
  const { rows } = await db.query(
    `SELECT count(c.id)::int AS done, count(*) FILTER (WHERE c.success)::int AS ok,
            EXTRACT(EPOCH FROM max(c.completed_at) - min(j.created_at)) * 1000 AS span_ms
       FROM job j LEFT JOIN job_completed c ON c.id = j.id WHERE j.id = ANY($1::uuid[])`,
    [ids],
  );
  const r = rows[0];
  const cpuAfter = cpuSeconds(cpuGroups);
  // CPU milliseconds per job, per process group, over the round (100 Hz ticks: about ±0.03 ms
  // per job on 300 jobs).
  const cpuMsPerJob = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, ((cpuAfter[k] - cpuBefore[k]) * 1000) / n]));
  // Where a job's time goes, on the database clock: claim -> completed (run + report) and
  // previous completed -> this claim (the worker fetching its next job).
  const split = await db.query(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM completed_at - started_at) * 1000) AS run_ms,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS exec_ms,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM started_at - prev) * 1000) AS gap_ms
       FROM (SELECT started_at, completed_at, duration_ms, lag(completed_at) OVER (ORDER BY started_at) AS prev
               FROM job_completed WHERE id = ANY($1::uuid[])) t`,
    [ids],
  );
  const runMs = Number(split.rows[0].run_ms);
  const gapMs = Number(split.rows[0].gap_ms);
  // The job's process alone, as the worker timed it (spawn to exit).
  const execMs = Number(split.rows[0].exec_ms);
  return { n, done: r.done, ok: r.ok, spanMs: Number(r.span_ms), jobsPerSec: r.done === n ? n / (Number(r.span_ms) / 1000) : NaN, runMs, gapMs, execMs, cpuMsPerJob };
}

/**
 * @returns {{ skipped?: string, rounds?: Array<{worker, jobsPerSec, ...}> }}
 */
export async function compareWorkers({ scripts, databaseUrl, brokerUrl, brokerPid, privateKeyPem, jobs, rounds, warmupJobs = 0, pusher, log, nodeArgs = [], pin, jobLauncher = '1', agentB }) {
  if (scripts.normalWorker instanceof Error) return { skipped: scripts.normalWorker.message };
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'fleet-bench-compare' });
  await db.connect();
  const apps = [];
  try {
    const token = agentTokenMinter(privateKeyPem)({ workerGroup: 'bench', tags: ['agent-bench'] });
    const agentPort = await freePort();
    const agent = startApp('agent-worker', scripts.agentWorker, { AGENT_TOKEN: token, BASE_INTERNAL_URL: brokerUrl, PULL_WAIT_S: '25', WORKER_SUFFIX: 'cmp', HEALTH_PORT: String(agentPort), LOG_LEVEL: 'warn', JOB_LAUNCHER: jobLauncher }, agentPort, { nodeArgs });
    apps.push(agent);
    const normalPort = await freePort();
    // `agentB` (--compare-agent-b): another agent-worker bundle takes the normal worker's
    // place, on the `bash` jobs, for an A/B of two agent-workers on the same broker.
    const normal = agentB
      ? startApp('agent-worker-b', agentB, { AGENT_TOKEN: agentTokenMinter(privateKeyPem)({ workerGroup: 'bench', tags: ['bash'] }), BASE_INTERNAL_URL: brokerUrl, PULL_WAIT_S: '25', WORKER_SUFFIX: 'cmpb', HEALTH_PORT: String(normalPort), LOG_LEVEL: 'warn', JOB_LAUNCHER: jobLauncher }, normalPort, { nodeArgs })
      : // No worker_group_config row for this group: the default tags, which include `bash`.
        startApp('normal-worker', scripts.normalWorker, { DATABASE_URL: databaseUrl, WORKER_GROUP: 'bench', WORKER_SUFFIX: 'cmp', HEALTH_PORT: String(normalPort), LOG_LEVEL: 'warn', BASE_INTERNAL_URL: brokerUrl, JOB_LAUNCHER: jobLauncher }, normalPort, { nodeArgs });
    const label = (worker) => (worker === 'agent' ? 'agent-worker' : agentB ? 'agent-worker B' : 'normal-worker');
    apps.push(normal);
    try {
      await Promise.all([agent.ready(60_000), normal.ready(60_000)]);
    } catch (e) {
      return { skipped: `a worker did not start: ${e.message}` };
    }
    // Their first pings mean their loops run (the broker writes agent pings within ~1 s).
    const pinged = (name) => async () => (await db.query('SELECT 1 FROM worker_ping WHERE worker = $1', [name])).rowCount > 0;
    try {
      await waitFor(pinged('ag-bench-cmp'), 'the agent-worker to ping', 20_000);
      await waitFor(pinged(agentB ? 'ag-bench-cmpb' : 'wk-bench-cmp'), `the ${label('normal')} to ping`, 20_000);
    } catch (e) {
      return { skipped: `${e.message}\nagent-worker: ${agent.output.slice(-1500)}\n${label('normal')}: ${normal.output.slice(-1500)}` };
    }
    await sleep(500);
    let pinned;
    if (pin) {
      pinned = pinProcesses({ workerPids: [agent.pid, normal.pid], brokerPid, pgDataDir: pin.pgDataDir });
      log(`compare: ${pinned}`);
    }
    const cpuGroups = {
      agent: { pids: () => [agent.pid], worker: true },
      normal: { pids: () => [normal.pid], worker: true },
      broker: { pids: () => (brokerPid ? [brokerPid] : []), worker: false },
      postgres: { pids: postgresPids, worker: false },
    };
    // Not measured: new processes run their first jobs through code not yet optimised (and
    // the broker its result path), and the first measured round, the agent's, was the slowest
    // of six in nearly every run before this warm-up (per-round ratio ~0.78 against ~0.9).
    if (warmupJobs > 0) {
      for (const [worker, tag] of [['agent', 'agent-bench'], ['normal', 'bash']]) {
        const r = await measure(db, pusher, tag, warmupJobs, 120_000, cpuGroups);
        log(`compare warm-up ${label(worker)}: ${r.done}/${r.n} done in ${r.spanMs.toFixed(0)} ms = ${r.jobsPerSec.toFixed(1)} jobs/s (not counted)`);
        if (r.done < r.n) return { rounds: [], skipped: `the ${label(worker)} completed only ${r.done} of ${r.n} warm-up jobs in 120 s\n${(worker === 'agent' ? agent : normal).output.slice(-2000)}` };
      }
    }
    const out = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so a slow patch of the shared machine hits both.
      const order = round % 2 === 0 ? ['agent', 'normal'] : ['normal', 'agent'];
      for (const worker of order) {
        const r = await measure(db, pusher, worker === 'agent' ? 'agent-bench' : 'bash', jobs, 120_000, cpuGroups);
        out.push({ round, worker, ...r });
        log(`compare round ${round + 1}/${rounds} ${label(worker)}: ${r.done}/${r.n} done (${r.ok} ok) in ${r.spanMs.toFixed(0)} ms = ${r.jobsPerSec.toFixed(1)} jobs/s; per job (medians) claim -> completed ${r.runMs.toFixed(1)} ms, completed -> next claim ${r.gapMs.toFixed(1)} ms, process ${r.execMs.toFixed(1)} ms; CPU per job ${Object.entries(r.cpuMsPerJob).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} ms`);
        if (r.done < r.n) {
          return { rounds: out, skipped: `the ${label(worker)} completed only ${r.done} of ${r.n} jobs in 120 s\n${(worker === 'agent' ? agent : normal).output.slice(-2000)}` };
        }
        await sleep(300);
      }
    }
    return { rounds: out, pinned, agentB };
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await db.end();
  }
}
