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

/** Per series: the median of each segment, of the log flush, and how many samples had every point. */
export function breakdown(samples, traceFile) {
  const events = JSON.parse(readFileSync(traceFile, 'utf8'));
  const bySeries = {};
  for (const s of samples) {
    const p = pointsOf(s, events);
    const complete = SEGMENTS.every(([, a, b]) => Number.isFinite(p[a]) && Number.isFinite(p[b]));
    const entry = (bySeries[s.series] ??= { n: 0, complete: 0, points: [], samples: [] });
    entry.n++;
    entry.samples.push(s);
    if (complete) {
      entry.complete++;
      entry.points.push(p);
    }
  }
  // Only the --what-if worker records these: proof that its pause was really removed.
  const out = { pausesSkipped: events.filter(([, e]) => e === 'empty-pull-delay-skipped').length, series: {} };
  for (const [series, e] of Object.entries(bySeries)) {
    const seg = SEGMENTS.map(([label, a, b, inDuration]) => ({ label, inDuration, p50: median(e.points.map((p) => p[b] - p[a])) }));
    const flushes = e.points.map((p) => p.logFlushMs).filter(Number.isFinite);
    out.series[series] = {
      n: e.n,
      complete: e.complete,
      segments: seg,
      logFlushP50: flushes.length ? median(flushes) : null,
      totalP50: median(e.samples.map((s) => s.heardAt - s.pushAt)),
      durationP50: median(e.samples.map((s) => s.durationMs)),
      overheadP50: median(e.samples.map((s) => s.heardAt - s.pushAt - s.durationMs)),
    };
  }
  return out;
}
