import type { Pool } from 'pg';
import { testDatabaseUrl } from '@millrace/testing';
import { CompletionWaiter } from './completion.waiter';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import type { ClaimedJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('CompletionWaiter', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  let waiter: CompletionWaiter;

  beforeAll(async () => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    waiter = new CompletionWaiter(testDatabaseUrl(), queue, { applicationName: 'waiter-under-test' });
    await waiter.start();
  });
  afterAll(async () => {
    await waiter.close();
    await pool.end();
  });

  async function claimOne(tag: string): Promise<ClaimedJob> {
    await queue.push(newJob({ tag }));
    const [job] = await queue.claim({ worker: 'w', tags: [tag], limit: 1 });
    return job!;
  }

  async function listenConnections(): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'waiter-under-test' AND datname = current_database()`);
    return rows[0]!.n;
  }

  it('wakes every waiter of a job when it completes, over one shared connection', async () => {
    const job = await claimOne('wait');
    const other = await claimOne('wait-other');
    const waits = [waiter.waitFor('acme', job.id, 60_000), waiter.waitFor('acme', job.id, 60_000), waiter.waitFor('acme', other.id, 60_000)];
    expect(await listenConnections()).toBe(1);
    // Completed in one batch: one notification carries both ids.
    await queue.completeMany([
      { jobId: job.id, claimId: job.claimId, outcome: { success: true, result: 'done' } },
      { jobId: other.id, claimId: other.claimId, outcome: { success: false, error: { message: 'no' } } },
    ]);
    const [a, b, c] = await Promise.all(waits);
    expect(a).toMatchObject({ id: job.id, type: 'CompletedJob', success: true, result: 'done' });
    expect(b).toEqual(a);
    expect(c).toMatchObject({ id: other.id, type: 'CompletedJob', success: false });
  });

  it('returns at once for a job that already completed', async () => {
    const job = await claimOne('already');
    await queue.complete(job.id, job.claimId, { success: true, result: 7 });
    expect(await waiter.waitFor('acme', job.id, 60_000)).toMatchObject({ type: 'CompletedJob', result: 7 });
  });

  it('returns null when the job does not complete in time', async () => {
    const id = await queue.push(newJob({ tag: 'never' }));
    expect(await waiter.waitFor('acme', id, 20)).toBeNull();
    expect(await queue.get('acme', id)).toMatchObject({ type: 'QueuedJob' });
  });

  it('refuses a job that does not exist in the workspace', async () => {
    const id = await queue.push(newJob({ tag: 'elsewhere' }));
    await expectQueueError(waiter.waitFor('other-ws', id, 60_000), QueueErrorCode.NotFound);
  });

  it('wakes on a cancel of a queued job', async () => {
    const id = await queue.push(newJob({ tag: 'cancel-wait' }));
    const wait = waiter.waitFor('acme', id, 60_000);
    await queue.cancel('acme', id, { by: 'alice@example.com' });
    expect(await wait).toMatchObject({ type: 'CompletedJob', canceled: true });
  });
});
