#!/usr/bin/env node
// `npm run bench:queue [-- --jobs N --consumers C --runs R ...]`: Millrace's PgJobQueue
// against graphile-worker 0.18 and pg-boss 10 on one PostgreSQL server, in one run.
// What is measured and why: docs/benchmarks.md. The last line is the summary:
//   queue: <N> jobs/s batched, <R>x graphile-worker, push->claim p50 <L> ms
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { median, percentile, fmtRate, fmtMs } from './lib/stats.mjs';
import { openServer, createDatabase, dropDatabase, serverInfo } from './lib/pg-server.mjs';
import { runUnit } from './lib/unit.mjs';
import { queueVersion, systems } from './lib/systems.mjs';

const { values: opt } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    consumers: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '500' },
    chunk: { type: 'string', default: '1000' },
    'max-drain-seconds': { type: 'string', default: '10' },
    'latency-rate': { type: 'string', default: '200' },
    'latency-seconds': { type: 'string', default: '3' },
    'latency-claimers': { type: 'string' },
    'latency-wake': { type: 'string', default: 'one' },
    systems: { type: 'string', default: 'millrace,graphile,pgboss' },
    'no-analyze': { type: 'boolean', default: false },
    json: { type: 'string' },
    explain: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const int = (name) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const o = {
  jobs: int('jobs'),
  consumers: int('consumers'),
  runs: int('runs'),
  batch: int('batch'),
  chunk: int('chunk'),
  maxDrainSeconds: int('max-drain-seconds'),
  latencyRate: int('latency-rate'),
  latencySeconds: Number(opt['latency-seconds']),
  latencyClaimers: opt['latency-claimers'] === undefined ? int('consumers') : int('latency-claimers'),
  latencyWakeAll: opt['latency-wake'] === 'all',
  analyze: !opt['no-analyze'],
};
if (!['one', 'all'].includes(opt['latency-wake'])) throw new Error('--latency-wake must be one or all');
if (!(o.latencySeconds > 0)) throw new Error('--latency-seconds must be a positive number');
// --explain is a diagnostic of Millrace's claim plans, not a benchmark run.
const chosen = opt.explain ? ['millrace'] : opt.systems.split(',').map((s) => s.trim());
for (const s of chosen) if (!systems[s]) throw new Error(`unknown system ${s} (known: ${Object.keys(systems).join(', ')})`);

const started = Date.now();
const log = (line) => process.stdout.write(`${line}\n`);
const server = await openServer(process.env.DATABASE_URL);
// Ctrl-C: the drivers get the signal from the terminal too; the embedded server would not.
process.once('SIGINT', () => {
  server.stop().finally(() => process.exit(130));
});
const templates = {};
try {
  const info = await serverInfo(server.adminUrl);
  log(`PostgreSQL ${info.version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}, fsync=${info.fsync}, synchronous_commit=${info.sync}), ${availableParallelism()} CPUs, Node ${process.version}`);
  if (chosen.includes('millrace')) log(`Millrace: ${queueVersion()}`);
  log(`${o.jobs} jobs, ${o.consumers} consumers, Millrace/pg-boss batch ${o.batch}, ${o.latencyClaimers} idle Millrace claimers (wake ${opt['latency-wake']}) at ${o.latencyRate} pushes/s for ${o.latencySeconds} s, ${o.runs} run(s), systems: ${chosen.join(', ')}`);

  for (const name of chosen) {
    const sys = systems[name];
    await sys.prepare?.({ verbose: opt.verbose });
    const tpl = `bench_tpl_${name}`;
    const url = await createDatabase(server.adminUrl, tpl);
    templates[name] = tpl;
    await sys.install(url, { verbose: opt.verbose });
  }

  if (opt.explain) {
    await explain(templates.millrace);
  } else {
    await benchmark(templates, info);
  }
} finally {
  // On a DATABASE_URL server, leave nothing behind; an embedded one is deleted whole.
  if (!server.embedded) for (const tpl of Object.values(templates)) await dropDatabase(server.adminUrl, tpl);
  await server.stop();
}

function unitSpec(unit, url) {
  return { url, jobs: o.jobs, consumers: o.consumers, chunk: o.chunk, maxDrainSeconds: o.maxDrainSeconds, analyze: o.analyze, rate: o.latencyRate, seconds: o.latencySeconds, warmupSeconds: 0.5, ...unit.spec };
}

async function explain(template) {
  const url = await createDatabase(server.adminUrl, 'bench_explain', template);
  try {
    const r = await runUnit(systems.millrace.script, unitSpec({ spec: { mode: 'explain', batch: o.batch } }, url), { timeoutMs: 180_000, verbose: opt.verbose, label: 'millrace explain' });
    for (const { step, plan } of r.plans) log(`\n=== ${step}, ${o.jobs} jobs pushed${o.analyze ? ', analyzed' : ', not analyzed'}\n${plan}`);
  } finally {
    await dropDatabase(server.adminUrl, 'bench_explain');
  }
}

async function benchmark(templates, info) {
  const results = []; // { run, system, row, label, ...driver result }
  for (let run = 0; run < o.runs; run++) {
    // Interleave: each run starts with a different system, so a slow patch on the shared
    // machine does not always land on the same one.
    const order = chosen.map((_, i) => chosen[(i + run) % chosen.length]);
    for (const name of order) {
      const sys = systems[name];
      for (const [k, unit] of sys.units(o).entries()) {
        const db = `bench_${name}_${run}_${k}`;
        const url = await createDatabase(server.adminUrl, db, templates[name]);
        const label = `${name} ${unit.label}`;
        try {
          const r = await runUnit(sys.script, unitSpec(unit, url), { timeoutMs: 180_000, verbose: opt.verbose, label });
          results.push({ run, system: name, row: unit.row, label: unit.label, ...r });
          log(`run ${run + 1}/${o.runs} ${label}: ${describe(r)}`);
        } finally {
          await dropDatabase(server.adminUrl, db);
        }
      }
    }
  }

  const rows = summarise(results);
  printTable(rows);
  if (opt.json) writeFileSync(opt.json, JSON.stringify({ options: o, server: info, results, rows }, null, 2));
  log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  printVerdict(rows, results);
}

function describe(r) {
  const parts = [];
  if (r.drainPerSec) parts.push(`claim+complete ${fmtRate(r.drainPerSec)}${r.timeBoxed ? ` (time-boxed: ${r.drained} of ${o.jobs} jobs in ${o.maxDrainSeconds} s)` : ''}`);
  if (r.enqueuePerSec) parts.push(`enqueue ${fmtRate(r.enqueuePerSec)}`);
  if (r.samplesMs) parts.push(`push->claim p50 ${fmtMs(percentile(r.samplesMs, 50))} p99 ${fmtMs(percentile(r.samplesMs, 99))} ms (${r.samplesMs.length} samples, ${r.missed} missed; push call alone p50 ${fmtMs(percentile(r.pushMs, 50))} ms)`);
  return parts.join(', ');
}

/** One row per system/mode: medians over runs of each run's rate or percentile. */
function summarise(all) {
  const byRow = new Map();
  for (const r of all) {
    const row = byRow.get(r.row) ?? { row: r.row, drain: [], enqueue: [], p50: [], p99: [], push50: [], missed: 0, timeBoxed: false };
    row.timeBoxed ||= Boolean(r.timeBoxed);
    if (r.drainPerSec) row.drain.push(r.drainPerSec);
    if (r.enqueuePerSec) row.enqueue.push(r.enqueuePerSec);
    if (r.samplesMs) {
      row.p50.push(percentile(r.samplesMs, 50));
      row.p99.push(percentile(r.samplesMs, 99));
      row.push50.push(percentile(r.pushMs, 50));
      row.missed += r.missed;
    }
    byRow.set(r.row, row);
  }
  return [...byRow.values()].map((r) => ({
    row: r.row,
    drain: median(r.drain),
    drainRange: [Math.min(...r.drain), Math.max(...r.drain)],
    timeBoxed: r.timeBoxed,
    enqueue: median(r.enqueue),
    p50: median(r.p50),
    p50Range: [Math.min(...r.p50), Math.max(...r.p50)],
    p99: median(r.p99),
    push50: median(r.push50),
    missed: r.missed,
  }));
}

function printTable(rows) {
  const spread = ([lo, hi], fmt) => (o.runs > 1 ? ` (${fmt(lo)}-${fmt(hi)})` : '');
  const k = (x) => `${(x / 1000).toFixed(1)}k`;
  log('');
  log(`medians of ${o.runs} run(s), (min-max) over runs; * = time-boxed at ${o.maxDrainSeconds} s:`);
  log('| system and mode | claim + complete, jobs/s | enqueue (bulk), jobs/s | push -> claim p50 / p99 ms | push call p50 ms |');
  log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const drain = Number.isFinite(r.drain) ? `${k(r.drain)}${r.timeBoxed ? '*' : ''}${spread(r.drainRange, k)}` : '';
    const lat = Number.isFinite(r.p50) ? `${fmtMs(r.p50)}${spread(r.p50Range, fmtMs)} / ${fmtMs(r.p99)}${r.missed ? `, ${r.missed} missed` : ''}` : '';
    log(`| ${r.row} | ${drain} | ${Number.isFinite(r.enqueue) ? k(r.enqueue) : ''} | ${lat} | ${Number.isFinite(r.push50) ? fmtMs(r.push50) : ''} |`);
  }
}

function printVerdict(rows, results) {
  const get = (row) => rows.find((r) => r.row === row) ?? {};
  const mb = get(systems.millrace.rows.batched);
  const mu = get(systems.millrace.rows.unbatched);
  const gb = get(systems.graphile.rows.batched);
  const gd = get(systems.graphile.rows.default);
  const pb = get(systems.pgboss.rows.fetch);
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? (a / b).toFixed(2) : 'n/a');
  log('');
  log(`ratio millrace batched / graphile-worker batched:   ${ratio(mb.drain, gb.drain)}x`);
  log(`ratio millrace unbatched / graphile-worker default: ${ratio(mu.drain, gd.drain)}x`);
  log(`ratio millrace batched / pg-boss fetch loop:        ${ratio(mb.drain, pb.drain)}x`);
  log(`ratio millrace enqueue / graphile-worker enqueue:   ${ratio(mb.enqueue, gb.enqueue)}x`);
  // The same ratio within each run, whose two measurements were taken minutes apart at most:
  // on a shared machine this shows how much of the median ratio is load drift.
  const perRun = [];
  for (let run = 0; run < o.runs; run++) {
    const drain = (row) => results.find((r) => r.run === run && r.row === row && r.drainPerSec)?.drainPerSec;
    perRun.push(ratio(drain(systems.millrace.rows.batched), drain(systems.graphile.rows.batched)));
  }
  log(`  the same, run by run: ${perRun.join(', ')}`);
  const met = (ok) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  const both = Number.isFinite(mb.drain) && Number.isFinite(gb.drain);
  log(`target batched >= graphile-worker batched: ${met(both ? mb.drain >= gb.drain : undefined)}`);
  log(`target push->claim p50 <= 5 ms: ${met(Number.isFinite(mb.p50) ? mb.p50 <= 5 : undefined)}`);
  const n = Number.isFinite(mb.drain) ? String(Math.round(mb.drain)) : 'n/a';
  const l = Number.isFinite(mb.p50) ? mb.p50.toFixed(1) : 'n/a';
  log(`queue: ${n} jobs/s batched, ${ratio(mb.drain, gb.drain)}x graphile-worker, push->claim p50 ${l} ms`);
}
