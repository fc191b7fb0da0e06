// The fleet benchmark's producer (bundled by ../lib/apps.mjs): pushes jobs with PgJobQueue
// on commands from run.mjs over the IPC channel. A process of its own, so the push timing is
// not disturbed by the orchestrator's sampling and bookkeeping.
//
// Every job carries its push time in args.t: epoch milliseconds with sub-millisecond
// resolution (performance.timeOrigin + performance.now()), taken just before the INSERT, so
// the agent that receives it computes push -> receive on the same clock base.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PgJobQueue, type NewJob } from '@millrace/queue';
import { epochNow, serveCommands, sleep } from '../../shared/child-driver';

type Command =
  | { cmd: 'clock'; seq: number }
  | { cmd: 'steady'; seq: number; rate: number; seconds: number; tags: string[]; phase: string; maxInFlight: number; batch: number }
  | { cmd: 'one'; seq: number; tag: string; phase: string }
  | { cmd: 'many'; seq: number; tag: string; n: number; phase: string }
  | { cmd: 'exit'; seq: number };


const url = process.env['DATABASE_URL'];
if (!url) throw new Error('pusher needs DATABASE_URL');
// A few connections: at 200 jobs/s one fsync'd commit at a time has no slack left when the
// shared machine stalls a commit, and the pacing below must not fall behind.
const pool = new Pool({ connectionString: url, max: 8, application_name: 'fleet-bench-pusher' });
const queue = new PgJobQueue(pool);

function job(tag: string, phase: string, t: number, id: string): NewJob {
  return { id, workspaceId: 'fleet', kind: 'script', language: 'bash', content: 'true', args: { t, phase }, tag, createdBy: 'fleet-bench' };
}

/**
 * Pushes `rate` jobs per second for `seconds`, round-robin over `tags`: one job per push()
 * (one INSERT, one NOTIFY — what API clients submitting one job each cause), or with
 * `batch` > 1 that many per pushMany every batch/rate seconds (one commit and NOTIFY per
 * batch). A slot fires on time unless `maxInFlight` pushes are still running; then it
 * waits, so a stalled database slows the rate instead of bursting later.
 */
async function steady(c: Extract<Command, { cmd: 'steady' }>): Promise<object> {
  const total = Math.max(1, Math.round((c.rate * c.seconds) / c.batch));
  const interval = (1000 * c.batch) / c.rate;
  const ids: string[] = [];
  const pushMs: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let freed: (() => void) | null = null;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight >= c.maxInFlight) await new Promise<void>((resolve) => (freed = resolve));
    inFlight++;
    const t0 = epochNow();
    const jobs = Array.from({ length: c.batch }, (_, k) => job(c.tags[(i * c.batch + k) % c.tags.length] as string, c.phase, t0, randomUUID()));
    const p = queue
      .pushMany(jobs)
      .then(
        () => {
          for (const j of jobs) ids.push(j.id as string);
          pushMs.push(epochNow() - t0);
        },
        (e: unknown) => {
          errors++;
          process.stderr.write(`push failed: ${e instanceof Error ? e.message : String(e)}\n`);
        },
      )
      .finally(() => {
        inFlight--;
        pending.delete(p);
        freed?.();
        freed = null;
      });
    pending.add(p);
  }
  await Promise.all([...pending]);
  const elapsedS = (performance.now() - start) / 1000;
  return { ids, pushMs, errors, achievedRate: ids.length / elapsedS };
}

async function handle(c: Command): Promise<object> {
  switch (c.cmd) {
    case 'clock':
      return { now: epochNow() };
    case 'steady':
      return steady(c);
    case 'one': {
      const id = randomUUID();
      const t0 = epochNow();
      await queue.push(job(c.tag, c.phase, t0, id));
      return { id, t0, pushMs: epochNow() - t0 };
    }
    case 'many': {
      const t0 = epochNow();
      const ids = await queue.pushMany(Array.from({ length: c.n }, () => job(c.tag, c.phase, t0, randomUUID())));
      return { ids, t0 };
    }
    case 'exit':
      await pool.end();
      return {};
  }
}

serveCommands<Command>(handle);
// Warm the pool and the prepared push statement's connection before the first timed push.
void Promise.all(Array.from({ length: 4 }, () => pool.query('SELECT 1'))).then(
  () => process.send?.({ ready: true }),
  (e: unknown) => {
    process.stderr.write(`pusher cannot reach the database: ${String(e)}\n`);
    process.exit(1);
  },
);
