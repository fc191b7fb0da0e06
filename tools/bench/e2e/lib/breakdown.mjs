// Where a job's time goes, from the driver's samples and the worker's trace
// (lib/worker-trace.cjs): consecutive points on one job's path, so the segments add up to
// push -> completion heard. Both processes stamp performance.timeOrigin + now(); on one
// machine their clocks agree to well under a millisecond.
import { readFileSync } from 'node:fs';
import { median } from '../../queue/lib/stats.mjs';

/** [label, from, to, inDuration]: inDuration marks what duration_ms already counts. */
export const SEGMENTS = [
  ['push -> worker hears the NOTIFY (insert, commit, fsync, delivery)', 'push', 'notify', false],
  ['NOTIFY -> claim sent (wake-up, event loop)', 'notify', 'claimStart', false],
  ['claim statement round trip (update, commit, fsync)', 'claimStart', 'claimEnd', false],
  ['claimed -> job directory started (JobRun set-up, ping sent)', 'claimEnd', 'dir', false],
  ['job directory + script file -> spawn()', 'dir', 'spawn', true],
  ['spawn() -> process exit (fork/exec + script)', 'spawn', 'exit', true],
  ['exit -> pipes closed', 'exit', 'close', true],
  ['closed -> temp dir removal (log flush, result read)', 'close', 'rm', false],
  ['temp dir removal', 'rm', 'rmDone', false],
  ['removed -> finish sent', 'rmDone', 'finishStart', false],
  ['finish statement round trip (delete+insert, commit, fsync)', 'finishStart', 'finishEnd', false],
  ['finish returned -> client hears completion NOTIFY', 'finishEnd', 'heard', false],
];

function pointsOf(sample, events) {
  const id = sample.id;
  const at = (name) => events.find(([, e, d]) => e === name && d?.job === id)?.[0];
  const query = (what) => events.find(([, e, d]) => e === 'q' && d.what === what && d.ids.includes(id));
  const claim = query('claim');
  const finish = query('millrace_finish_jobs');
  const append = query('millrace_append_log');
  // The wake-up: the last new-jobs notification between the push and the claim.
  const notify = claim
    ? events.filter(([t, e, d]) => e === 'notify' && d.channel === 'millrace_new_jobs' && t >= sample.pushAt - 1 && t <= claim[0]).pop()?.[0]
    : undefined;
  return {
    push: sample.pushAt,
    notify,
    claimStart: claim?.[0],
    claimEnd: claim?.[2].end,
    dir: at('mkdtemp'),
    spawn: at('spawn'),
    exit: at('exit'),
    close: at('close'),
    rm: at('rm'),
    rmDone: at('rm-done'),
    finishStart: finish?.[0],
    finishEnd: finish?.[2].end,
    heard: sample.heardAt,
    logFlushMs: append ? append[2].end - append[0] : undefined,
  };
}

/** In a burst a job's cycle starts when the previous job's finish returned: no push, no NOTIFY. */
export const CYCLE_SEGMENTS = [
  ['previous finish returned -> claim sent (loop turnaround)', 'prevFinishEnd', 'claimStart', false],
  ...SEGMENTS.slice(2, 11),
];

/** Statements the worker sent per job between `from` and `to`, by kind (claims that found nothing count too). */
function statementsPerJob(events, from, to, jobs) {
  const counts = {};
  for (const [t, e, d] of events) {
    if (e !== 'q' || t < from || t > to) continue;
    const kind = d.what === 'claim' && d.ids.length === 0 ? 'claim (found nothing)' : d.what;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / jobs]));
}

const medians = (segments, points) => segments.map(([label, a, b, inDuration]) => ({ label, inDuration, p50: median(points.map((p) => p[b] - p[a])) }));
const complete = (segments, p) => segments.every(([, a, b]) => Number.isFinite(p[a]) && Number.isFinite(p[b]));

/**
 * Per series of the sequential samples: the median of each segment, of the log flush, and
 * how many samples had every point; for the traced burst (if any), the same per job cycle.
 */
export function breakdown(samples, traceFile, burst) {
  const events = JSON.parse(readFileSync(traceFile, 'utf8'));
  // Only the --what-if worker records these: proof that its pause was really removed.
  const out = { pausesSkipped: events.filter(([, e]) => e === 'empty-pull-delay-skipped').length, series: {} };
  const bySeries = {};
  for (const s of samples) (bySeries[s.series] ??= []).push(s);
  for (const [series, list] of Object.entries(bySeries)) {
    const points = list.map((s) => pointsOf(s, events)).filter((p) => complete(SEGMENTS, p));
    const flushes = points.map((p) => p.logFlushMs).filter(Number.isFinite);
    out.series[series] = {
      n: list.length,
      complete: points.length,
      segments: medians(SEGMENTS, points),
      logFlushP50: flushes.length ? median(flushes) : null,
      totalP50: median(list.map((s) => s.heardAt - s.pushAt)),
      durationP50: median(list.map((s) => s.durationMs)),
      overheadP50: median(list.map((s) => s.heardAt - s.pushAt - s.durationMs)),
    };
  }
  const first = Math.min(...samples.map((s) => s.pushAt));
  const last = Math.max(...samples.map((s) => s.heardAt));
  out.statementsPerJob = statementsPerJob(events, first, last, samples.length);
  if (burst) {
    const points = burst.ids.map((id) => pointsOf({ id, pushAt: burst.pushAt, heardAt: NaN }, events)).sort((a, b) => a.claimStart - b.claimStart);
    points.forEach((p, i) => (p.prevFinishEnd = points[i - 1]?.finishEnd));
    const full = points.filter((p) => complete(CYCLE_SEGMENTS, p));
    out.burst = {
      n: burst.n,
      complete: full.length,
      jobsPerSec: burst.jobsPerSec,
      segments: medians(CYCLE_SEGMENTS, full),
      cycleP50: median(full.map((p) => p.finishEnd - p.prevFinishEnd)),
      statementsPerJob: statementsPerJob(events, burst.pushAt, burst.lastAt, burst.n),
    };
  }
  return out;
}
