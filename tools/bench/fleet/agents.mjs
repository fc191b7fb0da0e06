#!/usr/bin/env node
// One client process of simulated agents (run.mjs starts a few: one process cannot hold
// 10,000 sockets comfortably, and a few spread the client CPU). Each agent does what the
// agent-worker does, minus running a script: pull_job long polls in a loop, on a job
// send_result at once (optionally one small push_logs first), and update_ping as the worker
// loop sends it: an initial one, then every PING_MS unless a pull was sent since the last
// ping (the broker counts a poll as a sign of life), and at least every FULL_PING_MS.
// `alwaysPing` sends one every PING_MS regardless (the load before polls counted).
//
// Spec: one JSON argument. Reports to the parent over IPC:
//   {type:'recv', items:[[jobId, recvEpochMs, pushedEpochMs, phase, agent], ...]}  (batched)
//   {type:'done', items:[[jobId, repeated], ...]}                                    (batched)
//   {type:'gauge', openPolls, started, requests, lagMaxMs}                          (every 500 ms)
//   {type:'final', stats}                                                           (at stop)
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { agentTokenMinter, httpClient, isTransient } from './lib/agent-http.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
const { baseUrl, privateKeyPem, from, to, groups, waitS, pingMs, fullPingMs, alwaysPing, rampPerSec, logs, workerGroup, deadlineMs } = spec;
const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const client = httpClient(baseUrl);
const mint = agentTokenMinter(privateKeyPem);
const stats = { pingsSkipped: 0, pulls: 0, noJob: 0, jobs: 0, results: 0, repeated: 0, resultFailures: 0, resultRetries: 0, pings: 0, pingFailures: 0, statuses: {}, transportErrors: {}, pingMs: [] };
let stopping = false;
let openPolls = 0;
let started = 0;
let recvBuf = [];
let doneBuf = [];
const inFlightResults = new Set();
// This process's own lag: a late receipt must be told apart from a late broker.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const countStatus = (s) => (stats.statuses[s] = (stats.statuses[s] ?? 0) + 1);
const countError = (e) => {
  const code = e?.code ?? e?.message ?? 'error';
  stats.transportErrors[code] = (stats.transportErrors[code] ?? 0) + 1;
};

function makeAgent(i) {
  const tag = `fleet-${i % groups}`;
  const token = mint({ workerGroup, tags: [tag] });
  return { i, tag, jobsExecuted: 0, pinging: false, lastPingAt: 0, pulledSincePing: false, polling: false, headers: { authorization: `Bearer ${token}`, 'x-worker-suffix': `a${i}` } };
}

/** The worker loop's rule (libs/worker-loop): skip a main_loop ping a pull stands in for. */
function pingDue(a) {
  if (alwaysPing) return true;
  return !a.pulledSincePing || performance.now() - a.lastPingAt >= fullPingMs;
}

async function ping(a, type) {
  if (a.pinging || stopping) return;
  if (type === 'main_loop' && !pingDue(a)) {
    stats.pingsSkipped++;
    return;
  }
  a.pinging = true;
  a.lastPingAt = performance.now();
  a.pulledSincePing = a.polling;
  const t0 = performance.now();
  try {
    const body = { ping_type: type, version: 'fleet-bench', worker_instance: `fleet-${a.i}`, ip: '127.0.0.1', memory_bytes: 0, jobs_executed: a.jobsExecuted };
    const res = await client.post('/api/agent_workers/update_ping', body, a.headers);
    if (res.status === 200) {
      stats.pings++;
      if (stats.pingMs.length < 200_000) stats.pingMs.push(performance.now() - t0);
    } else {
      stats.pingFailures++;
      countStatus(res.status);
    }
  } catch (e) {
    if (!stopping) {
      stats.pingFailures++;
      countError(e);
    }
  } finally {
    a.pinging = false;
  }
}

/**
 * send_result, retried on transport errors and 5xx with capped backoff until the broker
 * takes it or the client stops, as the agent-worker does (it never gives up on a finished
 * job's result; completion is idempotent per claim).
 */
async function finish(a, job, jobToken) {
  const ws = encodeURIComponent(job.workspace_id);
  const headers = { ...a.headers, 'x-job-token': jobToken };
  if (logs) {
    await client.post(`/api/w/${ws}/agent_workers/push_logs/${job.id}`, { offset: 0, logs: 'fleet-bench\n' }, headers).catch(countError);
  }
  for (let attempt = 0; !stopping && Date.now() < deadlineMs; attempt++) {
    try {
      const res = await client.post(`/api/w/${ws}/agent_workers/send_result/${job.id}`, { success: true, result: null, duration_ms: 0 }, headers);
      if (res.status === 200) {
        const repeated = JSON.parse(res.body).repeated === true;
        stats.results++;
        if (repeated) stats.repeated++;
        doneBuf.push([job.id, repeated]);
        a.jobsExecuted++;
        return;
      }
      countStatus(res.status);
      if (res.status < 500 && res.status !== 429) break;
    } catch (e) {
      if (stopping) break;
      countError(e);
    }
    stats.resultRetries++;
    await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random()));
  }
  stats.resultFailures++;
}

async function runAgent(a) {
  await ping(a, 'initial');
  a.pingTimer = setInterval(() => void ping(a, 'main_loop'), pingMs);
  let backoff = 100;
  // Bounded: stops on the parent's word, or at the hard deadline whatever happens.
  while (!stopping && Date.now() < deadlineMs) {
    let res;
    openPolls++;
    a.polling = true;
    a.pulledSincePing = true;
    try {
      res = await client.post(`/api/agent_workers/pull_job?wait_s=${waitS}`, undefined, a.headers);
    } catch (e) {
      if (stopping) break;
      countError(e);
      await sleep(backoff * (0.5 + Math.random()));
      backoff = Math.min(5000, backoff * 2);
      continue;
    } finally {
      openPolls--;
      a.polling = false;
    }
    stats.pulls++;
    if (res.status === 204) {
      stats.noJob++;
      continue;
    }
    if (res.status !== 200) {
      countStatus(res.status);
      await sleep(backoff * (0.5 + Math.random()));
      backoff = Math.min(5000, backoff * 2);
      continue;
    }
    backoff = 100;
    const recv = epochNow();
    const { job, job_token: jobToken } = JSON.parse(res.body);
    stats.jobs++;
    recvBuf.push([job.id, recv, Number(job.args?.t), String(job.args?.phase ?? ''), a.i]);
    const p = finish(a, job, jobToken);
    inFlightResults.add(p);
    await p;
    inFlightResults.delete(p);
  }
  clearInterval(a.pingTimer);
}

function flush() {
  if (recvBuf.length) process.send({ type: 'recv', items: recvBuf });
  if (doneBuf.length) process.send({ type: 'done', items: doneBuf });
  recvBuf = [];
  doneBuf = [];
}

const flusher = setInterval(flush, 50);
// The gauge carries this process's worst event-loop delay since the last one, so the parent
// can tell a late receipt caused by the client from one caused by the broker, per phase.
const gauge = setInterval(() => {
  process.send({ type: 'gauge', openPolls, started, requests: client.counters.requests, lagMaxMs: loopDelay.max / 1e6 });
  loopDelay.reset();
}, 500);
const loops = [];

process.on('message', async (m) => {
  if (m?.cmd === 'clock') process.send({ type: 'clock', seq: m.seq, now: epochNow() });
  if (m?.cmd !== 'stop' || stopping) return;
  stopping = true;
  // Results in flight still count (they may complete jobs); then every poll is cut.
  await Promise.race([Promise.all([...inFlightResults]), sleep(5000)]);
  client.close();
  await Promise.race([Promise.all(loops), sleep(2000)]);
  clearInterval(flusher);
  clearInterval(gauge);
  flush();
  loopDelay.disable();
  Object.assign(stats, client.counters);
  process.send({ type: 'final', stats }, () => process.disconnect());
});
process.on('disconnect', () => process.exit(0));
// Last resort if the parent is gone or stuck: never outlive the run.
setTimeout(() => process.exit(2), Math.max(0, deadlineMs - Date.now()) + 15_000).unref();

// Ramp: agents start evenly over n / rampPerSec seconds, so the broker's accept queue and
// the first ES256 verification of each token are not all hit in the same instant.
const n = to - from;
const t0 = performance.now();
for (let k = 0; k < n && !stopping; k++) {
  const due = t0 + (k * 1000) / rampPerSec - performance.now();
  if (due > 1) await sleep(due);
  const a = makeAgent(from + k);
  started++;
  loops.push(runAgent(a).catch((e) => countError(e)));
}
