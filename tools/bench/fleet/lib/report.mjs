// Turns what the run gathered into the printed report. The last line is the summary the
// issue asks for: `fleet: <N> agents, <C> db connections, p50 <A> ms p99 <B> ms, lost <L>, duplicated <D>`.
import { median, percentile } from '../../queue/lib/stats.mjs';

const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const pct = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} %` : 'n/a');

/** push -> receive samples of one phase, from the agents' receipts (first receipt per job). */
export function latencies(received, phase) {
  const out = [];
  for (const list of received.values()) {
    const first = list[0];
    if (first.phase === phase && Number.isFinite(first.pushed)) out.push(first.recv - first.pushed);
  }
  return out;
}

export function describeLatency(samples) {
  return `${samples.length} samples, p50 ${ms(percentile(samples, 50))} / p90 ${ms(percentile(samples, 90))} / p99 ${ms(percentile(samples, 99))} / max ${ms(Math.max(...samples))} ms`;
}

/** Jobs delivered to more than one agent, or completed (not `repeated`) more than once. */
export function duplicates(received, completed) {
  const ids = new Set();
  let deliveredTwice = 0;
  let completedTwice = 0;
  for (const [id, list] of received) {
    if (list.length > 1) {
      deliveredTwice++;
      ids.add(id);
    }
  }
  for (const [id, n] of completed) {
    if (n > 1) {
      completedTwice++;
      ids.add(id);
    }
  }
  return { count: ids.size, deliveredTwice, completedTwice };
}

export function printReport(log, r) {
  const o = r.options;
  const b = r.steadyWindow.procs.broker ?? {};
  const c = r.steadyWindow.procs.agents ?? {};
  log('');
  log(`== fleet: ${o.agents} agents in ${r.clients} client processes, ${o.groups} tag group(s), ${o.rate} jobs/s for ${o.seconds} s (after ${o.warmupSeconds} s warm-up)${o.pushBatch > 1 ? ` in pushMany batches of ${o.pushBatch}` : ', one push per job'}, pull_job wait_s=${o.waitS}, update_ping every ${o.pingMs} ms${o.alwaysPing ? ' even while polling' : ` unless a poll stood in for it (a full one at least every ${o.fullPingMs} ms)`}`);
  log(`connected: ${r.connected} of ${o.agents} agents had a long poll open after the ramp (${r.rampS.toFixed(1)} s); during the steady phase open polls min ${r.openPolls.min} / median ${r.openPolls.median}; broker open fds max ${r.run.fdsMax} (limit ${r.brokerFdLimit})`);
  log(`db connections of the broker (pg_stat_activity every 200 ms, ${r.db.samples} samples): max ${r.db.all} (application_name LIKE 'millrace-agent-broker%': pool max ${r.db.pool} with DB_POOL_MAX=${o.dbPoolMax}, plus its LISTEN and revocation-list connections)`);
  log(`dispatch push -> agent receives, steady ${o.rate}/s (pushes achieved ${r.steady.achievedRate.toFixed(0)}/s, push call p50 ${ms(percentile(r.steady.pushMs, 50))} / p99 ${ms(percentile(r.steady.pushMs, 99))} ms, ${r.steady.errors} push errors): ${describeLatency(r.steadyMs)}`);
  const sd = r.steadyDb;
  log(`  on the database clock: push -> claim p50 ${ms(sd.claimP50)} / p99 ${ms(sd.claimP99)} / max ${ms(sd.claimMax)} ms, claim -> completed p50 ${ms(sd.runP50)} / p99 ${ms(sd.runP99)} ms (${sd.n} jobs)`);
  log(`  broker GET /health/live every 100 ms during the steady phase: ${describeLatency(r.liveSteadyMs)}; worst agent-client event-loop delay ${ms(r.clientLagSteadyMs)} ms`);
  log(`idle-agent dispatch, ${r.idle.pushed} single jobs one at a time (${o.idleGapMs} ms apart): ${describeLatency(r.idleMs)}; ${r.idle.missed} not received within 3 s`);
  log(`  on the database clock: push -> claim p50 ${ms(r.idleDb.claimP50)} / p99 ${ms(r.idleDb.claimP99)} ms`);
  log(`clock offset between the processes (NTP-style, max): ${ms(r.skew.offsetMs)} ms, measurable to ±${ms(r.skew.uncertaintyMs)} ms (half the best IPC round trip)`);
  // CPU per agent request: what one core of this machine can serve, whatever else runs.
  const perReq = (w, n, seconds) => (n > 0 ? `${((10 * w.cpuPct * seconds * 1000) / n).toFixed(0)} µs CPU per request` : 'n/a');
  const q = r.quietWindow.procs?.broker;
  if (q) log(`broker with the fleet connected and no jobs (${r.quietS.toFixed(0)} s, ${(r.quietRequests / r.quietS).toFixed(0)} agent requests/s): CPU ${pct(q.cpuPct)} of one core = ${perReq(q, r.quietRequests, r.quietS)}; /health/live ${describeLatency(r.liveQuietMs)}`);
  log(`broker over the steady phase (${(r.steadyRequests / r.steadyS).toFixed(0)} agent requests/s): CPU ${pct(b.cpuPct)} of one core (peak ${pct(b.cpuPeakPct)} over 0.5 s) = ${perReq(b, r.steadyRequests, r.steadyS)}; RSS max ${b.rssMaxMb?.toFixed(0)} MB, over the whole run ${r.run.procs.broker?.rssMaxMb?.toFixed(0)} MB`);
  log(`agent clients: CPU ${pct(c.cpuPct)} of one core in all; machine busy ${pct(r.steadyWindow.machineBusyPct)} of ${r.cpus} cores (load average at start ${r.loadAvg})`);
  const s = r.agentStats;
  log(`agents' calls: ${s.pulls} pull_job answered (${s.noJob} x 204), ${s.jobs} jobs, ${s.results} results (${s.repeated} repeated, ${s.resultRetries} retries, ${s.resultFailures} given up at stop), ${s.pings} pings (${s.pingsSkipped} skipped for a poll, ${s.pingFailures} failed, latency p50 ${ms(percentile(s.pingMs, 50))} / p99 ${ms(percentile(s.pingMs, 99))} ms)`);
  log(`  new TCP connections opened by the agents ${s.newSockets} (keep-alive sockets the broker closed while reused, retried: ${s.reusedRetries}); listen-queue overflows on the machine during the run ${r.overflows}`);
  if (Object.keys(s.statuses).length) log(`  unexpected HTTP statuses: ${JSON.stringify(s.statuses)}`);
  if (Object.keys(s.transportErrors).length) log(`  transport errors: ${JSON.stringify(s.transportErrors)}`);
  log(`lost ${r.lost} (pushed ${r.pushed}, completed successfully ${r.completedOk}, still in job_queue ${r.stillQueued}); duplicated ${r.dup.count} (delivered to two agents ${r.dup.deliveredTwice}, completed twice ${r.dup.completedTwice})`);

  if (r.compare?.rounds?.length) {
    const rate = (w) => median(r.compare.rounds.filter((x) => x.worker === w).map((x) => x.jobsPerSec));
    r.compareRatio = rate('agent') / rate('normal');
    // Each round ran both workers back to back: their ratio within a round, round by round.
    const inRound = (round, w) => r.compare.rounds.find((x) => x.round === round && x.worker === w);
    const byRound = [...new Set(r.compare.rounds.map((x) => x.round))]
      .filter((round) => inRound(round, 'agent') && inRound(round, 'normal'))
      .map((round) => inRound(round, 'agent').jobsPerSec / inRound(round, 'normal').jobsPerSec);
    const b = r.compare.agentB;
    log(`agent-worker vs ${b ? `agent-worker B (${b})` : 'normal-worker'}, ${o.compareJobs} bash \`true\` jobs each, ${o.compareRounds} round(s): agent ${rate('agent').toFixed(1)} jobs/s, ${b ? 'B' : 'normal'} ${rate('normal').toFixed(1)} jobs/s (medians over rounds), ratio ${r.compareRatio.toFixed(2)}; within each round ${byRound.map((x) => x.toFixed(2)).join(', ')}${r.compare.pinned ? ` (${r.compare.pinned})` : ''}`);
    // CPU per job of everything a job needs on each path (the worker with its launcher and job
    // processes, the broker, PostgreSQL): steadier from run to run than throughput, which on a
    // shared machine also depends on where the processes happen to run.
    const pathCpu = (w) => median(r.compare.rounds.filter((x) => x.worker === w).map((x) => x.cpuMsPerJob[w] + x.cpuMsPerJob.broker + x.cpuMsPerJob.postgres));
    log(`  CPU per job on each path (worker with its launcher and jobs + broker + PostgreSQL, medians over rounds): agent ${pathCpu('agent').toFixed(2)} ms, ${b ? 'B' : 'normal'} ${pathCpu('normal').toFixed(2)} ms`);
  }
  if (r.compare?.skipped) log(`agent-worker vs normal-worker comparison SKIPPED: ${r.compare.skipped}`);

  const met = (ok) => (ok ? 'met' : 'NOT met');
  const p50 = percentile(r.steadyMs, 50);
  const p99 = percentile(r.steadyMs, 99);
  const idle50 = percentile(r.idleMs, 50);
  log('');
  log(`target 10,000 agents on one broker: ${met(r.connected >= 10_000)} (${r.connected} connected)`);
  log(`target <= 10 db connections: ${met(r.db.all <= 10)} (${r.db.all}, of which pool ${r.db.pool})`);
  log(`target 0 lost, 0 duplicated: ${met(r.lost === 0 && r.dup.count === 0)}`);
  log(`target dispatch p99 <= 100 ms at ${o.rate} jobs/s: ${met(p99 <= 100)} (${ms(p99)} ms)`);
  log(`target idle dispatch p50 <= 10 ms: ${met(idle50 <= 10)} (${ms(idle50)} ms)`);
  if (r.compare?.agentB) log(`target agent/normal throughput >= 0.95: not measured (an A/B of two agent-workers, --compare-agent-b)`);
  else if (Number.isFinite(r.compareRatio)) log(`target agent/normal throughput >= 0.95: ${met(r.compareRatio >= 0.95)} (${r.compareRatio.toFixed(2)})`);
  log(`(${((Date.now() - r.startedAt) / 1000).toFixed(0)} s)`);
  log(`fleet: ${r.connected} agents, ${r.db.all} db connections, p50 ${ms(p50)} ms p99 ${ms(p99)} ms, lost ${r.lost}, duplicated ${r.dup.count}`);
}
