import { Client, Notification, Pool } from 'pg';
import { testDatabaseUrl } from '@millrace/testing';
import { PgJobQueue } from './pg-job-queue.repository';
import { JOB_COMPLETED_CHANNEL } from './queue.channels';
import type { ClaimedJob } from './queue.types';
import { newJob, testPool } from './queue.test-util';

describe('completion notifications go only to jobs somebody waits on', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  let listener: Client;
  const heard: string[] = [];

  beforeAll(async () => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    listener = new Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    listener.on('notification', (n: Notification) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${JOB_COMPLETED_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await pool.end();
  });

  async function claimOne(tag: string): Promise<ClaimedJob> {
    await queue.push(newJob({ tag }));
    const [job] = await queue.claim({ worker: 'w', tags: [tag], limit: 1 });
    return job!;
  }

  it('announces a flagged job and stays silent for the others', async () => {
    const silent = await claimOne('silent');
    const silentBatch = [await claimOne('silent-b'), await claimOne('silent-c')];
    const watched = await claimOne('watched');
    await queue.requestCompletionNotice(watched.id);
    await queue.complete(silent.id, silent.claimId, { success: true, result: 1 });
    await queue.completeMany(silentBatch.map((j) => ({ jobId: j.id, claimId: j.claimId, outcome: { success: true as const, result: 2 } })));
    await queue.complete(watched.id, watched.claimId, { success: true, result: 3 });
    // Notifications arrive in commit order: once the watched job's is here, any earlier one
    // would have arrived before it.
    for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(heard).toEqual([watched.id]);
  });

  it('keeps the flag when a flagged job is requeued, so its final completion is announced', async () => {
    heard.length = 0;
    const job = await claimOne('requeued');
    await queue.requestCompletionNotice(job.id);
    await queue.release([{ jobId: job.id, claimId: job.claimId }]);
    const [again] = await queue.claim({ worker: 'w2', tags: ['requeued'], limit: 1 });
    await queue.complete(again!.id, again!.claimId, { success: true, result: 4 });
    for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(heard).toEqual([job.id]);
  });

  it('announces a job pushed with notifyCompletion, without a later request', async () => {
    heard.length = 0;
    const id = await queue.push(newJob({ tag: 'at-push', notifyCompletion: true }));
    const [job] = await queue.claim({ worker: 'w', tags: ['at-push'], limit: 1 });
    await queue.complete(id, job!.claimId, { success: true, result: 5 });
    for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(heard).toEqual([id]);
  });

  it('announces a flagged job completed with completeAndClaim (one statement), not the other', async () => {
    heard.length = 0;
    const silent = await claimOne('cc-notify');
    const watched = await claimOne('cc-notify');
    await queue.requestCompletionNotice(watched.id);
    await queue.completeAndClaim(silent.id, silent.claimId, { success: true, result: 1 }, { worker: 'w', tags: ['cc-notify'] });
    await queue.completeAndClaim(watched.id, watched.claimId, { success: true, result: 2 }, { worker: 'w', tags: ['cc-notify'] });
    for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(heard).toEqual([watched.id]);
  });
});
