import { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import type { ClaimedJob } from './queue.types';
import { newJob, testPool } from './queue.test-util';

const TAGS = ['t0', 't1', 't2', 't3', 't4'];
const JOBS = 5000;
// Each claimer serves a different subset; every tag is served by at least two claimers.
const CLAIMER_TAGS = [['t0'], ['t0', 't1'], ['t1', 't2'], ['t2', 't3', 't4'], ['t3'], ['t4', 't0'], TAGS, ['t1', 't3']];

describe('claim under contention', () => {
  let setup: Pool;
  const claimerPools: Pool[] = [];

  beforeAll(async () => {
    setup = testPool(2);
    const queue = new PgJobQueue(setup);
    for (let batch = 0; batch < JOBS / 1000; batch++) {
      await queue.pushMany(Array.from({ length: 1000 }, (_, i) => newJob({ tag: TAGS[(batch * 1000 + i) % TAGS.length]!, priority: i % 3, args: { n: batch * 1000 + i } })));
    }
  });

  afterAll(async () => {
    await Promise.all(claimerPools.map((p) => p.end()));
    await setup.end();
  });

  it('hands every job to exactly one of 8 claimers on separate connections, each only its tags', async () => {
    const unclaimedFor = async (tags: string[]) =>
      (await setup.query<{ n: number }>('SELECT count(*)::int AS n FROM job_queue WHERE NOT running AND tag = ANY ($1::text[])', [tags])).rows[0]!.n;

    const claimed = await Promise.all(
      CLAIMER_TAGS.map(async (tags, c) => {
        const pool = testPool(1);
        claimerPools.push(pool);
        const queue = new PgJobQueue(pool);
        const mine: ClaimedJob[] = [];
        for (;;) {
          const batch = await queue.claim({ worker: `w${c}`, tags, limit: 20 + c * 10 });
          mine.push(...batch);
          // An empty claim may only mean the rest is locked by other claimers right now.
          if (batch.length === 0 && (await unclaimedFor(tags)) === 0) break;
        }
        return { tags, worker: `w${c}`, jobs: mine };
      }),
    );

    const all = claimed.flatMap((c) => c.jobs);
    expect(all).toHaveLength(JOBS);
    expect(new Set(all.map((j) => j.id)).size).toBe(JOBS);
    expect(new Set(all.map((j) => j.claimId)).size).toBe(JOBS);
    for (const c of claimed) {
      expect(c.jobs.filter((j) => !c.tags.includes(j.tag))).toEqual([]);
      expect(c.jobs.every((j) => j.worker === c.worker)).toBe(true);
    }
    const { rows } = await setup.query<{ running: number; queued: number }>(
      `SELECT count(*) FILTER (WHERE running)::int AS running, count(*) FILTER (WHERE NOT running)::int AS queued FROM job_queue`,
    );
    expect(rows[0]).toEqual({ running: JOBS, queued: 0 });

    // Completing them in batches empties the hot table: completed rows do not stay there.
    const queue = new PgJobQueue(setup);
    let completed = 0;
    for (let i = 0; i < all.length; i += 500) {
      completed += await queue.completeMany(all.slice(i, i + 500).map((j) => ({ jobId: j.id, claimId: j.claimId, outcome: { success: true, result: j.args['n'] } })));
    }
    expect(completed).toBe(JOBS);
    const after = await setup.query<{ hot: number; done: number }>('SELECT (SELECT count(*) FROM job_queue)::int AS hot, (SELECT count(*) FROM job_completed)::int AS done');
    expect(after.rows[0]).toEqual({ hot: 0, done: JOBS });
  });
});
