// Prints what the run gathered. With several runs every figure is the median of the runs'
// figures. The last line is the summary the issue asks for:
//   e2e: bash overhead p50 <X> ms p99 <Y> ms, <N> jobs/s
import { SERIES_LABEL } from './analyse.mjs';

const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const rate = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
/** The issue's target for a trivial bash job (Windmill: ~50 ms normal, ~12 ms dedicated). */
const TARGET_P50_MS = 15;

export function printReport(log, r, median) {
  const across = (get) => median(r.runs.map(get));
  const series = Object.keys(r.runs[0].stats);
  log('');
  log(`one normal-worker, WORKER_CONCURRENCY=1, default intervals (POLL_INTERVAL_MS 1000); ${r.options.jobs} jobs per language one at a time (${r.options.echoJobs} of \`echo ok\`), ${r.options.gapMs} ms apart; bursts of ${r.options.burst}; ${r.runs.length} run(s)${r.runs.length > 1 ? ', medians of the runs' : ''}`);
  log('');
  log('latency, one job at a time (ms; overhead = push->completed - duration_ms):');
  log('| series | jobs | failed | push->completed p50 / p99 | duration_ms p50 | overhead p50 / p90 / p99 / max | push->claim | claim->finish minus run | finish->heard |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of series) {
    const g = (f) => across((run) => f(run.stats[s]));
    log(
      `| ${SERIES_LABEL[s]} | ${g((x) => x.n)} | ${g((x) => x.failed)} | ${ms(g((x) => x.totalP50))} / ${ms(g((x) => x.totalP99))} | ${ms(g((x) => x.durationP50))} | ` +
        `${ms(g((x) => x.overheadP50))} / ${ms(g((x) => x.overheadP90))} / ${ms(g((x) => x.overheadP99))} / ${ms(g((x) => x.overheadMax))} | ` +
        `${ms(g((x) => x.split.pushToClaim))} | ${ms(g((x) => x.split.claimToFinishLessRun))} | ${ms(g((x) => x.split.finishToHeard))} |`,
    );
  }
  log('');
  log('throughput, one pushMany burst per language:');
  log('| series | jobs | ok | jobs/s (push -> last completion heard) | jobs/s (database: first created -> last completed) | ms per job | duration_ms p50 |');
  log('|---|---:|---:|---:|---:|---:|---:|');
  const bursts = [{ concurrency: 1, get: (run) => run.burst }, ...r.sweep.map((w) => ({ concurrency: w.concurrency, get: () => w.burst }))];
  for (const b of bursts) {
    for (const s of ['bash', 'nodejs']) {
      const g = (f) => (b.concurrency === 1 ? across((run) => f(b.get(run)[s])) : f(b.get()[s]));
      const jps = g((x) => x.jobsPerSec);
      log(`| ${SERIES_LABEL[s]}${b.concurrency === 1 ? '' : `, WORKER_CONCURRENCY=${b.concurrency}`} | ${g((x) => x.n)} | ${g((x) => x.ok)} | ${rate(jps)} | ${rate(g((x) => x.dbJobsPerSec))} | ${ms(1000 / jps)} | ${ms(g((x) => x.durationP50))} |`);
    }
  }
  if (r.traced) printBreakdown(log, r.traced, 'where the time goes (a second worker with a tracing preload');
  if (r.whatIf) {
    printBreakdown(log, r.whatIf, `what-if: WorkerLoop's emptyPullDelayMs (50 ms) at 0 (a third traced worker; the pause was skipped ${r.whatIf.pausesSkipped} times`);
  }
  log('');
  const bashP50 = across((run) => run.stats.bash.overheadP50);
  const bashP99 = across((run) => run.stats.bash.overheadP99);
  const bashRate = across((run) => run.burst.bash.jobsPerSec);
  log(`target (issue): bash overhead p50 <= ${TARGET_P50_MS} ms: ${bashP50 <= TARGET_P50_MS ? 'met' : 'NOT met'} (${ms(bashP50)} ms)`);
  log(`measured: ${r.measured}; PostgreSQL ${r.server.version} ${r.embedded ? 'embedded' : 'from DATABASE_URL'}, fsync=${r.server.fsync}; ${r.cpus} CPUs, load average ${r.loadAvg.map((x) => x.toFixed(2)).join(' ')} at the end; ${r.elapsedS.toFixed(0)} s in all`);
  log(`e2e: bash overhead p50 ${bashP50.toFixed(1)} ms p99 ${bashP99.toFixed(1)} ms, ${Math.round(bashRate)} jobs/s`);
}

const statements = (perJob) =>
  Object.entries(perJob)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n.toFixed(2)}`)
    .join(', ');

function printBreakdown(log, { series: traced, statementsPerJob, burst }, title) {
  const series = Object.keys(traced);
  log('');
  log(`${title}; medians, ms; * = inside duration_ms; ${series.map((s) => `${s}: ${traced[s].complete}/${traced[s].n} jobs fully traced`).join(', ')}):`);
  log(`| segment | ${series.join(' | ')} |`);
  log(`|---|${series.map(() => '---:').join('|')}|`);
  traced[series[0]].segments.forEach((seg, i) => log(`| ${seg.inDuration ? '* ' : ''}${seg.label} | ${series.map((s) => ms(traced[s].segments[i].p50)).join(' | ')} |`));
  log(`| of which the log flush (append_log round trip) | ${series.map((s) => ms(traced[s].logFlushP50 ?? NaN)).join(' | ')} |`);
  log(`| push -> completion heard (this worker) | ${series.map((s) => ms(traced[s].totalP50)).join(' | ')} |`);
  log(`| duration_ms | ${series.map((s) => ms(traced[s].durationP50)).join(' | ')} |`);
  log(`| overhead (this worker) | ${series.map((s) => ms(traced[s].overheadP50)).join(' | ')} |`);
  log(`statements per job, one at a time: ${statements(statementsPerJob)}`);
  if (!burst) return;
  log('');
  log(`a traced burst of ${burst.n} bash jobs: ${rate(burst.jobsPerSec)} jobs/s, one job's cycle p50 ${ms(burst.cycleP50)} ms (${burst.complete} cycles; medians, ms; * = inside duration_ms):`);
  log('| segment | bash burst |');
  log('|---|---:|');
  for (const seg of burst.segments) log(`| ${seg.inDuration ? '* ' : ''}${seg.label} | ${ms(seg.p50)} |`);
  log(`statements per job in the burst: ${statements(burst.statementsPerJob)}`);
}
