// The simulated fleet as seen from run.mjs: a few agent client processes (../agents.mjs),
// and everything they report gathered in one place — who received which job when, which
// results the broker accepted, how many long polls are open.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { benchDir } from './apps.mjs';

const epochNow = () => performance.timeOrigin + performance.now();

/**
 * @param {object} o  { agents, clients, baseUrl, privateKeyPem, groups, waitS, pingMs, fullPingMs, alwaysPing, rampPerSec, logs, deadlineMs }
 */
export function startFleet(o) {
  const per = Math.ceil(o.agents / o.clients);
  const procs = [];
  /** jobId -> [{ recv, pushed, phase, agent }] : more than one entry is a duplicate delivery. */
  const received = new Map();
  /** jobId -> number of send_result replies that were not `repeated`. */
  const completed = new Map();
  let repeatedResults = 0;
  const listeners = new Set();
  const finals = [];
  /** Each client's worst event-loop delay per 500 ms, with the time it was reported. */
  const lags = [];

  for (let c = 0; c < o.clients; c++) {
    const from = c * per;
    const to = Math.min(o.agents, from + per);
    if (from >= to) break;
    const spec = { ...o, from, to, rampPerSec: Math.max(1, o.rampPerSec / o.clients), workerGroup: 'fleet' };
    delete spec.agents;
    delete spec.clients;
    const child = fork(path.join(benchDir, 'agents.mjs'), [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const proc = { child, openPolls: 0, started: 0, requests: 0, final: null, clockWaiters: new Map() };
    child.on('message', (m) => {
      switch (m.type) {
        case 'recv':
          for (const [id, recv, pushed, phase, agent] of m.items) {
            const list = received.get(id) ?? [];
            list.push({ recv, pushed, phase, agent });
            received.set(id, list);
            for (const l of listeners) l(id);
          }
          return;
        case 'done':
          for (const [id, repeated] of m.items) {
            if (repeated) repeatedResults++;
            else completed.set(id, (completed.get(id) ?? 0) + 1);
          }
          return;
        case 'gauge':
          proc.openPolls = m.openPolls;
          proc.started = m.started;
          proc.requests = m.requests;
          lags.push({ t: Date.now(), ms: m.lagMaxMs });
          return;
        case 'clock':
          proc.clockWaiters.get(m.seq)?.(m.now);
          proc.clockWaiters.delete(m.seq);
          return;
        case 'final':
          proc.final = m.stats;
          finals.push(m.stats);
          return;
      }
    });
    procs.push(proc);
  }

  const sum = (k) => procs.reduce((a, p) => a + p[k], 0);
  return {
    pids: () => procs.map((p) => p.child.pid),
    received,
    completed,
    get repeatedResults() {
      return repeatedResults;
    },
    /** Worst client event-loop delay (ms) reported between two epoch times. */
    lagMaxMs(t0, t1) {
      return Math.max(0, ...lags.filter((l) => l.t >= t0 && l.t <= t1).map((l) => l.ms));
    },
    get openPolls() {
      return sum('openPolls');
    },
    get started() {
      return sum('started');
    },
    /** HTTP requests the agents have sent so far (as of their last gauge, ≤ 500 ms old). */
    get requests() {
      return sum('requests');
    },
    /** Resolves when `id` has been received by some agent, or false after `timeoutMs`. */
    seen(id, timeoutMs) {
      if (received.has(id)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok) => {
          listeners.delete(l);
          clearTimeout(timer);
          resolve(ok);
        };
        const l = (got) => got === id && done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        listeners.add(l);
      });
    },
    /**
     * Largest clock disagreement between this process and a client (NTP-style midpoint,
     * best of 5 round trips; the estimate is good to half that round trip, `uncertaintyMs`):
     * latencies subtract a pusher time from an agent time.
     */
    async clockSkew() {
      let worst = 0;
      let uncertainty = 0;
      let seq = 0;
      for (const p of procs) {
        let best = Infinity;
        let offset = 0;
        for (let i = 0; i < 5; i++) {
          const s = ++seq;
          const t0 = epochNow();
          const remote = await new Promise((resolve) => {
            p.clockWaiters.set(s, resolve);
            p.child.send({ cmd: 'clock', seq: s });
          });
          const t1 = epochNow();
          if (t1 - t0 < best) {
            best = t1 - t0;
            offset = remote - (t0 + t1) / 2;
          }
        }
        worst = Math.max(worst, Math.abs(offset));
        uncertainty = Math.max(uncertainty, best / 2);
      }
      return { offsetMs: worst, uncertaintyMs: uncertainty };
    },
    /** Asks every client to stop (polls are cut, results in flight finish); bounded. */
    async stop(timeoutMs = 15_000) {
      const exits = procs.map((p) => new Promise((resolve) => (p.child.exitCode !== null ? resolve() : p.child.once('exit', resolve))));
      for (const p of procs) if (p.child.connected) p.child.send({ cmd: 'stop' });
      const timer = setTimeout(() => procs.forEach((p) => p.child.kill('SIGKILL')), timeoutMs);
      await Promise.all(exits);
      clearTimeout(timer);
      return mergeFinals(finals);
    },
  };
}

function mergeFinals(finals) {
  const counts = ['pulls', 'noJob', 'jobs', 'results', 'repeated', 'resultFailures', 'resultRetries', 'pings', 'pingsSkipped', 'pingFailures', 'newSockets', 'reusedRetries'];
  const out = { statuses: {}, transportErrors: {}, pingMs: [] };
  for (const k of counts) out[k] = 0;
  for (const f of finals) {
    for (const k of counts) out[k] += f[k] ?? 0;
    for (const [k, v] of Object.entries(f.statuses)) out.statuses[k] = (out.statuses[k] ?? 0) + v;
    for (const [k, v] of Object.entries(f.transportErrors)) out.transportErrors[k] = (out.transportErrors[k] ?? 0) + v;
    for (const ms of f.pingMs) out.pingMs.push(ms);
  }
  out.clientsReported = finals.length;
  return out;
}
