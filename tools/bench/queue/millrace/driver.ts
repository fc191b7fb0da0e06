// Millrace's PgJobQueue under the benchmark workload (bundled by ../lib/systems.mjs).
//   drain    bulk-push spec.jobs, then spec.consumers loops of claim + complete until the
//            queue is empty; batch 1 = claim 1 + complete 1, more = claim N + completeMany
//            (or until spec.maxDrainSeconds: a slow mode is measured on part of the backlog)
//   latency  idle claimers woken by NewJobListener (fallback poll); time push() start ->
//            claim() returning that job; spec.wakeAll picks who a notification wakes
//   explain  the plans of claim and completeMany under the drain's backlog (explain.ts)
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { NewJobListener, PgJobQueue, type ClaimedJob, type JobOutcome, type NewJob } from '@millrace/queue';
import { emitResult, LatencyBook, now, paced, readSpec, sleep, type DriverSpec } from './driver-io';
import { explainClaims } from './explain';

const TAGS = ['bench'] as const;
const JOB: NewJob = { workspaceId: 'bench', kind: 'script', language: 'bash', content: 'true', args: {}, tag: 'bench', createdBy: 'bench' };
const OK: JobOutcome = { success: true, result: null };
/** Idle claimers look anyway this often, in case a notification was lost. */
const FALLBACK_POLL_MS = 1000;

function pool(url: string, name: string): Pool {
  // One connection per consumer, like one worker process holding one connection.
  return new Pool({ connectionString: url, max: 1, application_name: name });
}

const asItems = (jobs: ClaimedJob[]) => jobs.map((j) => ({ jobId: j.id, claimId: j.claimId, outcome: OK }));

async function consume(queue: PgJobQueue, worker: string, batch: number, deadline: number): Promise<number> {
  let done = 0;
  while (now() < deadline) {
    const jobs = await queue.claim({ worker, tags: TAGS, limit: batch });
    // Empty means every queued row is taken (SKIP LOCKED only skips rows another consumer
    // is claiming); the final count check below proves nothing was left behind.
    if (jobs.length === 0) return done;
    if (batch === 1) {
      const [job] = jobs as [ClaimedJob];
      const { repeated } = await queue.complete(job.id, job.claimId, OK);
      if (!repeated) done++;
    } else {
      done += await queue.completeMany(asItems(jobs));
    }
  }
  return done;
}

async function drain(spec: DriverSpec): Promise<object> {
  const producerPool = pool(spec.url, 'bench-producer');
  const pools = Array.from({ length: spec.consumers }, (_, i) => pool(spec.url, `bench-consumer-${i}`));
  try {
    const producer = new PgJobQueue(producerPool);
    const t0 = now();
    for (let from = 0; from < spec.jobs; from += spec.chunk) {
      const n = Math.min(spec.chunk, spec.jobs - from);
      await producer.pushMany(Array.from({ length: n }, () => ({ ...JOB })));
    }
    const enqueueMs = now() - t0;
    // Same for every system: a bulk load followed by fresh statistics, as autovacuum's
    // analyze would give shortly after (docs/benchmarks.md discusses the difference).
    if (spec.analyze) await producerPool.query('ANALYZE');
    await Promise.all(pools.map((p) => p.query('SELECT 1')));

    const d0 = now();
    const deadline = d0 + spec.maxDrainSeconds * 1000;
    const counts = await Promise.all(pools.map((p, i) => consume(new PgJobQueue(p), `bench-${i}`, spec.batch, deadline)));
    const drainMs = now() - d0;

    const done = counts.reduce((a, b) => a + b, 0);
    const { rows } = await producerPool.query<{ queued: number; completed: number }>(
      'SELECT (SELECT count(*) FROM job_queue)::int AS queued, (SELECT count(*) FROM job_completed)::int AS completed',
    );
    const check = rows[0];
    const timeBoxed = done < spec.jobs;
    // Every counted completion must be in job_completed, and (unless time-boxed) nothing
    // may be left in job_queue.
    if (!check || check.completed !== done || check.queued !== spec.jobs - done) {
      throw new Error(`millrace drain inconsistent: counted ${done} of ${spec.jobs}, table state ${JSON.stringify(check)}`);
    }
    return { enqueuePerSec: spec.jobs / (enqueueMs / 1000), drainPerSec: done / (drainMs / 1000), drained: done, timeBoxed };
  } finally {
    await Promise.all([producerPool, ...pools].map((p) => p.end()));
  }
}

async function latency(spec: DriverSpec): Promise<object> {
  const book = new LatencyBook();
  const pusherPool = pool(spec.url, 'bench-pusher');
  const pools = Array.from({ length: spec.consumers }, (_, i) => pool(spec.url, `bench-claimer-${i}`));
  // One listener for the process. wakeAll = false: a worker host with `consumers` slots
  // wakes one idle slot per notification (graphile-worker's pool does the same: it nudges as
  // many workers as jobs arrived); a slot that claimed a full batch wakes the next.
  // wakeAll = true: the slots stand for separate workers, each hearing every notification,
  // so all idle ones claim and the losers find nothing (the thundering herd).
  // `generation` tells a busy claimer that it missed a notification and must look again.
  let generation = 0;
  const sleepers = new Set<() => void>();
  const wake = (all: boolean) => {
    const idle = [...sleepers];
    if (all || idle.length === 0) generation++;
    for (const w of all ? idle : idle.slice(0, 1)) w();
  };
  const listener = new NewJobListener(spec.url, {
    applicationName: 'bench-listener',
    onReconnect: () => wake(true),
    onError: (error) => process.stderr.write(`[listener] ${String(error)}\n`),
  });
  await listener.start((tags) => {
    if (tags.includes('bench')) wake(spec.wakeAll);
  });
  let running = true;
  const idleClaimer = async (queue: PgJobQueue, worker: string) => {
    while (running) {
      const seenGeneration = generation;
      const jobs = await queue.claim({ worker, tags: TAGS, limit: spec.batch });
      for (const job of jobs) book.seen(job.id);
      if (jobs.length === spec.batch) wake(false);
      if (jobs.length > 0) {
        await queue.completeMany(asItems(jobs));
        continue;
      }
      // A push that landed while this claim was in flight must not wait for the next one.
      if (seenGeneration !== generation) continue;
      await new Promise<void>((resolve) => {
        const up = () => {
          clearTimeout(timer);
          sleepers.delete(up);
          resolve();
        };
        const timer = setTimeout(up, FALLBACK_POLL_MS * (0.8 + 0.4 * Math.random()));
        sleepers.add(up);
      });
    }
  };
  try {
    await Promise.all([pusherPool, ...pools].map((p) => p.query('SELECT 1')));
    const claimers = pools.map((p, i) => idleClaimer(new PgJobQueue(p), `bench-${i}`));
    const pusher = new PgJobQueue(pusherPool);
    // Warm-up pushes are not recorded: the first ones pay for plans and caches.
    await paced(spec.rate, spec.warmupSeconds, () => pusher.push({ ...JOB }));
    await sleep(200);
    const pushMs: number[] = [];
    const pushed = await paced(spec.rate, spec.seconds, async () => {
      const id = randomUUID();
      book.sent(id);
      const t0 = now();
      await pusher.push({ ...JOB, id });
      pushMs.push(now() - t0);
    });
    const outcome = await book.settled(5000);
    running = false;
    wake(true);
    await Promise.all(claimers);
    return { pushed, pushMs, ...outcome };
  } finally {
    await listener.close();
    await Promise.all([pusherPool, ...pools].map((p) => p.end()));
  }
}

async function main(): Promise<void> {
  const spec = readSpec();
  switch (spec.mode) {
    case 'drain':
      emitResult(await drain(spec));
      return;
    case 'latency':
      emitResult(await latency(spec));
      return;
    case 'explain':
      emitResult(await explainClaims(spec, JOB));
      return;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
