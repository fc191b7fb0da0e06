// pg-boss 10 driver. Modes (spec.mode):
//   setup    install pg-boss's schema and create the queue (once, on the template database)
//   drain    bulk-insert spec.jobs, then time spec.consumers manual fetch/complete loops
//   latency  one work() subscriber; time send() start -> handler start. pg-boss 10 has no
//            LISTEN/NOTIFY, so this measures its polling (0.5 s is the smallest interval;
//            batch 100 so a poll drains what piled up since the last one).
import { createRequire } from 'node:module';
import { BENCH_PAYLOAD, emitResult, latencyBook, now, paced, ranges, readSpec, sleep } from './lib/driver-io.mjs';

const PgBoss = createRequire(import.meta.url)('pg-boss');
const QUEUE = 'bench';

// Maintenance, cron and state monitoring off: they are periodic background queries that
// would land at random points inside a one-second measurement.
const quiet = { supervise: false, schedule: false, migrate: false };

async function boss(url, extra = {}) {
  const b = new PgBoss({ connectionString: url, max: 2, ...quiet, ...extra });
  b.on('error', (err) => process.stderr.write(`[pg-boss error] ${err.stack ?? err}\n`));
  await b.start();
  return b;
}

async function setup(spec) {
  const b = await boss(spec.url, { migrate: true });
  await b.createQueue(QUEUE);
  await b.stop({ graceful: false, wait: true });
  return {};
}

async function drain(spec) {
  const producer = await boss(spec.url);
  const consumers = await Promise.all(Array.from({ length: spec.consumers }, () => boss(spec.url)));
  try {
    const t0 = now();
    for (const [from, to] of ranges(spec.jobs, spec.chunk)) {
      await producer.insert(Array.from({ length: to - from }, () => ({ name: QUEUE, data: BENCH_PAYLOAD })));
    }
    const enqueueMs = now() - t0;
    if (spec.analyze) await producer.getDb().executeSql('ANALYZE', []);
    // Open both pool connections of every consumer before the clock starts.
    await Promise.all(consumers.map((c) => Promise.all([1, 2].map(() => c.getDb().executeSql('SELECT 1', [])))));

    const d0 = now();
    const deadline = d0 + spec.maxDrainSeconds * 1000;
    const counts = await Promise.all(
      consumers.map(async (c) => {
        let done = 0;
        while (now() < deadline) {
          const jobs = await c.fetch(QUEUE, { batchSize: spec.batch });
          if (jobs.length === 0) return done;
          await c.complete(
            QUEUE,
            jobs.map((j) => j.id),
          );
          done += jobs.length;
        }
        return done;
      }),
    );
    const drainMs = now() - d0;
    const done = counts.reduce((a, b) => a + b, 0);
    const left = await producer.getDb().executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE state < 'completed'`, []);
    if (left.rows[0].n !== spec.jobs - done) {
      throw new Error(`pg-boss drain inconsistent: counted ${done} of ${spec.jobs}, ${left.rows[0].n} not completed`);
    }
    return { enqueuePerSec: spec.jobs / (enqueueMs / 1000), drainPerSec: done / (drainMs / 1000), drained: done, timeBoxed: done < spec.jobs };
  } finally {
    await Promise.all([producer, ...consumers].map((b) => b.stop({ graceful: false, wait: true })));
  }
}

async function latency(spec) {
  const book = latencyBook();
  const worker = await boss(spec.url);
  const producer = await boss(spec.url);
  try {
    await worker.work(QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 100 }, async (jobs) => {
      for (const j of jobs) book.seen(j.data.key);
    });
    await paced({ rate: spec.rate, seconds: spec.warmupSeconds }, (i) => producer.send(QUEUE, { ...BENCH_PAYLOAD, key: `w${i}` }));
    await sleep(1000);
    const pushMs = [];
    const pushed = await paced({ rate: spec.rate, seconds: spec.seconds }, async (i) => {
      book.sent(`m${i}`);
      const t0 = now();
      await producer.send(QUEUE, { ...BENCH_PAYLOAD, key: `m${i}` });
      pushMs.push(now() - t0);
    });
    return { pushed, pushMs, ...(await book.settled(10_000)) };
  } finally {
    await worker.stop({ graceful: false, wait: true });
    await producer.stop({ graceful: false, wait: true });
  }
}

const spec = readSpec();
const modes = { setup, drain, latency };
emitResult(await modes[spec.mode](spec));
