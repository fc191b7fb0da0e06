// The systems under test: how each is built, how its schema is installed on a template
// database, and which units (one driver process each) a run measures.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnit } from './unit.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '..');
const root = path.resolve(benchDir, '../../..');
const buildDir = path.join(benchDir, '.build');
const rel = (p) => path.relative(root, p);

function bundle(entry, outfile) {
  execFileSync(process.execPath, [path.join(root, 'tools/build/bundle.mjs'), '--entry', entry, '--outfile', rel(outfile)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Which libs/queue the Millrace numbers belong to: last commit touching it, and whether the
 * working tree differs (other engineers edit the same tree). */
export function queueVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    return `libs/queue ${git('log', '-1', '--format=%h', '--', 'libs/queue')}${git('status', '--porcelain', '--', 'libs/queue') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'libs/queue (git not available)';
  }
}

const setupUnit = (script) => (url, { verbose }) => runUnit(script, { mode: 'setup', url }, { timeoutMs: 120_000, verbose, label: `${path.basename(script)} setup` });

export const systems = {
  millrace: {
    script: path.join(buildDir, 'millrace-driver.js'),
    rows: {
      unbatched: 'millrace, claim 1 + complete 1',
      batched: 'millrace, claim batch + completeMany',
    },
    async prepare() {
      if (!existsSync(path.join(root, 'libs/queue/src/index.ts'))) {
        throw new Error('libs/queue has no index.ts yet (PgJobQueue not landed); run with --systems graphile,pgboss');
      }
      // Rebuilt every run: the driver must measure the queue code as it is in the tree now.
      bundle('tools/bench/queue/millrace/driver.ts', path.join(buildDir, 'millrace-driver.js'));
      bundle('libs/data-access/src/cli/migrate.ts', path.join(buildDir, 'migrate.js'));
    },
    async install(url) {
      execFileSync(process.execPath, [path.join(buildDir, 'migrate.js')], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
    },
    units: (o) => [
      { label: 'unbatched drain', row: systems.millrace.rows.unbatched, spec: { mode: 'drain', batch: 1 } },
      { label: 'batched drain', row: systems.millrace.rows.batched, spec: { mode: 'drain', batch: o.batch } },
      // Idle claimers ask for a whole batch, as a batched worker would; with one job queued
      // at a time that changes nothing but the query's LIMIT. Who wakes: --latency-wake.
      { label: 'latency', row: systems.millrace.rows.batched, spec: { mode: 'latency', batch: o.batch, consumers: o.latencyClaimers, wakeAll: o.latencyWakeAll } },
    ],
  },
  graphile: {
    script: path.join(benchDir, 'graphile.mjs'),
    rows: {
      default: 'graphile-worker 0.18, default (2 procs x 24)',
      batched: 'graphile-worker 0.18, batched (2 procs x 24, localQueue 500, batch delays 0)',
    },
    install: setupUnit(path.join(benchDir, 'graphile.mjs')),
    units: () => [
      { label: 'default drain', row: systems.graphile.rows.default, spec: { mode: 'drain', variant: 'default', procs: 2, concurrency: 24 } },
      { label: 'batched drain', row: systems.graphile.rows.batched, spec: { mode: 'drain', variant: 'batched', procs: 2, concurrency: 24 } },
      { label: 'default latency', row: systems.graphile.rows.default, spec: { mode: 'latency', variant: 'default', concurrency: 24 } },
      { label: 'batched latency', row: systems.graphile.rows.batched, spec: { mode: 'latency', variant: 'batched', concurrency: 24 } },
    ],
  },
  pgboss: {
    script: path.join(benchDir, 'pgboss.mjs'),
    rows: {
      fetch: 'pg-boss 10, manual fetch batch + complete loop',
      work: 'pg-boss 10, work() (0.5 s polling, no NOTIFY)',
    },
    install: setupUnit(path.join(benchDir, 'pgboss.mjs')),
    units: (o) => [
      { label: 'fetch drain', row: systems.pgboss.rows.fetch, spec: { mode: 'drain', batch: o.batch } },
      { label: 'work latency', row: systems.pgboss.rows.work, spec: { mode: 'latency' } },
    ],
  },
};
