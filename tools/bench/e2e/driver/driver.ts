// The e2e benchmark's client (bundled by ../lib/build.mjs, forked by run.mjs): pushes jobs
// with PgJobQueue exactly as job-queue does and hears completions on the completion channel,
// on commands from run.mjs over IPC. A process of its own so run.mjs's bookkeeping never
// delays a push or a notification.
//
// Times are epoch milliseconds with sub-millisecond resolution (timeOrigin + now()), the
// scale the worker trace uses too; database timestamps are converted with a measured offset.
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { JOB_COMPLETED_CHANNEL, PgJobQueue, type NewJob } from '@millrace/queue';
import { epochNow, serveCommands, sleep } from '../../shared/child-driver';

/** The job kinds the benchmark pushes; content is what a user would write. */
const SERIES: Record<string, Pick<NewJob, 'language' | 'content' | 'tag'>> = {
  bash: { language: 'bash', content: 'true', tag: 'bash' },
  // `echo ok` makes one log chunk: the log write happens inside duration_ms (logs.close()).
  'bash-echo': { language: 'bash', content: 'echo ok', tag: 'bash' },
  // The CommonJS shape; the wrapper imports it and picks `default.main`.
  nodejs: { language: 'nodejs', content: 'module.exports.main = async () => 1', tag: 'nodejs' },
};

type Command =
  | { cmd: 'calibrate'; seq: number }
  | { cmd: 'sequential'; seq: number; series: string[]; gapMs: number; timeoutMs: number }
  | { cmd: 'burst'; seq: number; series: string; n: number; timeoutMs: number }
  | { cmd: 'exit'; seq: number };

interface DbTimes {
  id: string;
  success: boolean;
  durationMs: number;
  createdAt: number;
  startedAt: number;
  completedAt: number;
}


const url = process.env['DATABASE_URL'];
if (!url) throw new Error('the e2e driver needs DATABASE_URL');
const pool = new Pool({ connectionString: url, max: 2, application_name: 'e2e-bench-driver' });
const queue = new PgJobQueue(pool);
const listen = new Client({ connectionString: url, application_name: 'e2e-bench-listen' });
// A server going away (Ctrl-C) fails the pending command; it must not crash the process first.
pool.on('error', () => undefined);
listen.on('error', () => undefined);

/** When each job's completion was heard, and who is waiting for which. */
const heard = new Map<string, number>();
const waiters = new Map<string, () => void>();
listen.on('notification', (m) => {
  const at = epochNow();
  if (m.channel !== JOB_COMPLETED_CHANNEL || !m.payload) return;
  for (const id of m.payload.split(',')) {
    if (!heard.has(id)) heard.set(id, at);
    waiters.get(id)?.();
  }
});

function completion(id: string, timeoutMs: number): Promise<number> {
  const at = heard.get(id);
  if (at !== undefined) return Promise.resolve(at);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(id);
      reject(new Error(`job ${id} did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.set(id, () => {
      clearTimeout(timer);
      waiters.delete(id);
      resolve(heard.get(id) as number);
    });
  });
}

function newJob(series: string): NewJob {
  const s = SERIES[series];
  if (!s) throw new Error(`unknown series ${series}`);
  // The driver listens for completions itself, so it asks for them at push.
  return { id: randomUUID(), workspaceId: 'e2e', kind: 'script', args: {}, createdBy: 'e2e-bench', notifyCompletion: true, ...s };
}

/** Database clock minus this process's clock, from the round trip with the least delay. */
let dbOffsetMs = 0;
async function calibrate(): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Infinity };
  for (let i = 0; i < 20; i++) {
    const a = epochNow();
    const { rows } = await pool.query<{ t: number }>(`SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS t`);
    const b = epochNow();
    if (b - a < best.rttMs) best = { offsetMs: Number(rows[0]?.t) - (a + b) / 2, rttMs: b - a };
  }
  dbOffsetMs = best.offsetMs;
  return best;
}

/** The stored outcome and timestamps, on this process's clock. */
async function dbTimes(ids: string[]): Promise<Map<string, DbTimes>> {
  const { rows } = await pool.query<{ id: string; success: boolean; duration_ms: string; c: number; s: number; f: number }>(
    `SELECT c.id, c.success, c.duration_ms,
            extract(epoch FROM j.created_at)::float8 * 1000 AS c,
            extract(epoch FROM c.started_at)::float8 * 1000 AS s,
            extract(epoch FROM c.completed_at)::float8 * 1000 AS f
       FROM job_completed c JOIN job j ON j.id = c.id WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  const local = (t: number): number => Number(t) - dbOffsetMs;
  return new Map(rows.map((r) => [r.id, { id: r.id, success: r.success, durationMs: Number(r.duration_ms), createdAt: local(r.c), startedAt: local(r.s), completedAt: local(r.f) }]));
}

/**
 * One job at a time, round-robin over `series`: push, wait for its completion, pause `gapMs`
 * so the worker is back waiting for a notification before the next push.
 */
async function sequential(c: Extract<Command, { cmd: 'sequential' }>): Promise<object> {
  const samples: Array<{ id: string; series: string; pushAt: number; pushedAt: number; heardAt: number }> = [];
  for (const series of c.series) {
    const job = newJob(series);
    const pushAt = epochNow();
    await queue.push(job);
    const pushedAt = epochNow();
    const heardAt = await completion(job.id as string, c.timeoutMs);
    samples.push({ id: job.id as string, series, pushAt, pushedAt, heardAt });
    await sleep(c.gapMs);
  }
  const db = await dbTimes(samples.map((s) => s.id));
  return { samples: samples.map((s) => ({ ...s, ...db.get(s.id) })) };
}

/** `n` jobs in one pushMany; jobs/s from the push call to the last completion heard. */
async function burst(c: Extract<Command, { cmd: 'burst' }>): Promise<object> {
  const jobs = Array.from({ length: c.n }, () => newJob(c.series));
  const ids = jobs.map((j) => j.id as string);
  const pushAt = epochNow();
  await queue.pushMany(jobs);
  const pushedAt = epochNow();
  const deadline = Date.now() + c.timeoutMs;
  const heardAt = await Promise.all(ids.map((id) => completion(id, Math.max(1, deadline - Date.now()))));
  const lastAt = Math.max(...heardAt);
  const db = [...(await dbTimes(ids)).values()];
  return {
    n: c.n,
    ids,
    pushAt,
    pushedAt,
    lastAt,
    ok: db.filter((r) => r.success).length,
    durationsMs: db.map((r) => r.durationMs),
    // The database's view: first job created to last job completed.
    dbSpanMs: Math.max(...db.map((r) => r.completedAt)) - Math.min(...db.map((r) => r.createdAt)),
  };
}

async function handle(c: Command): Promise<object> {
  switch (c.cmd) {
    case 'calibrate':
      return calibrate();
    case 'sequential':
      return sequential(c);
    case 'burst':
      return burst(c);
    case 'exit':
      await listen.end();
      await pool.end();
      return {};
  }
}

serveCommands<Command>(handle);

// LISTEN before the first push, and the pool warm, so no first sample pays a connect.
void (async () => {
  await listen.connect();
  await listen.query(`LISTEN ${listen.escapeIdentifier(JOB_COMPLETED_CHANNEL)}`);
  await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
})().then(
  () => process.send?.({ ready: true }),
  (e: unknown) => {
    process.stderr.write(`e2e driver cannot reach the database: ${String(e)}\n`);
    process.exit(1);
  },
);
