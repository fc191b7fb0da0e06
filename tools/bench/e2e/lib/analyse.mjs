// Per-series statistics of the sequential samples and the bursts.
//
// A sample: pushAt / pushedAt (driver, around PgJobQueue.push), heardAt (driver: the
// completion NOTIFY arrived), durationMs (job_completed.duration_ms: the executor's own
// measure, job directory + spawn -> exit + log flush), and the database's createdAt /
// startedAt (claim) / completedAt (finish statement), moved onto the driver's clock.
import { median, percentile } from '../../queue/lib/stats.mjs';

export const SERIES_LABEL = {
  bash: 'bash `true`',
  'bash-echo': 'bash `echo ok`',
  nodejs: 'nodejs `module.exports.main = async () => 1`',
};

/** overhead = (push -> completion heard) - duration_ms, and its coarse split on the database clock. */
export function summarise(samples) {
  const bySeries = new Map();
  for (const s of samples) {
    if (!bySeries.has(s.series)) bySeries.set(s.series, []);
    bySeries.get(s.series).push(s);
  }
  const out = {};
  for (const [series, list] of bySeries) {
    const total = list.map((s) => s.heardAt - s.pushAt);
    const overhead = list.map((s) => s.heardAt - s.pushAt - s.durationMs);
    out[series] = {
      n: list.length,
      failed: list.filter((s) => !s.success).length,
      totalP50: percentile(total, 50),
      totalP99: percentile(total, 99),
      durationP50: percentile(list.map((s) => s.durationMs), 50),
      overheadP50: percentile(overhead, 50),
      overheadP90: percentile(overhead, 90),
      overheadP99: percentile(overhead, 99),
      overheadMax: Math.max(...overhead),
      // Medians of the three parts that add up to the overhead:
      split: {
        pushToClaim: median(list.map((s) => s.startedAt - s.pushAt)),
        claimToFinishLessRun: median(list.map((s) => s.completedAt - s.startedAt - s.durationMs)),
        finishToHeard: median(list.map((s) => s.heardAt - s.completedAt)),
      },
    };
  }
  return out;
}

export function burstRate(b) {
  return { ...b, jobsPerSec: b.ok === b.n ? b.n / ((b.lastAt - b.pushAt) / 1000) : NaN, dbJobsPerSec: b.n / (b.dbSpanMs / 1000), durationP50: percentile(b.durationsMs, 50) };
}
