import type { Pool } from 'pg';
import type { FinishedJob } from './job-finish.util';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import type { ClaimedJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('cancel', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  const hooked: FinishedJob[] = [];

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    queue.onCompleted((j) => {
      hooked.push(j);
    });
  });
  afterAll(() => pool.end());

  async function claimOne(tag: string): Promise<ClaimedJob> {
    await queue.push(newJob({ tag }));
    const [job] = await queue.claim({ worker: `worker-${tag}`, tags: [tag], limit: 1 });
    return job!;
  }

  it('completes a queued job as canceled at once', async () => {
    const id = await queue.push(newJob({ tag: 'queued-cancel' }));
    expect(await queue.cancel('acme', id, { by: 'alice@example.com', reason: 'not needed' })).toBe('canceled');
    expect(await queue.get('acme', id)).toMatchObject({
      type: 'CompletedJob',
      success: false,
      canceled: true,
      canceledBy: 'alice@example.com',
      canceledReason: 'not needed',
      error: { name: 'Canceled', message: 'canceled by alice@example.com: not needed' },
      startedAt: null,
      durationMs: null,
    });
    expect(await queue.claim({ worker: 'w', tags: ['queued-cancel'], limit: 5 })).toEqual([]);
    expect(hooked.map((h) => h.id)).toContain(id);
  });

  it('flags a running job for its worker, whose heartbeat then carries the request', async () => {
    const job = await claimOne('running-cancel');
    expect(await queue.cancel('acme', job.id, { by: 'bob@example.com', reason: 'too slow' })).toBe('flagged');
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'QueuedJob', running: true, canceled: true, canceledBy: 'bob@example.com' });
    expect(await queue.heartbeat(job.id, job.claimId)).toEqual({ canceledBy: 'bob@example.com', canceledReason: 'too slow', alreadyCompleted: false });
    // The worker stops the job and reports a failure; the cancel stays on record.
    await queue.complete(job.id, job.claimId, { success: false, error: { message: 'killed' } });
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', success: false, canceled: true, canceledBy: 'bob@example.com', canceledReason: 'too slow' });
  });

  it('with force, completes a running job as canceled at once; the worker learns it is done', async () => {
    const job = await claimOne('force-cancel');
    expect(await queue.cancel('acme', job.id, { by: 'carol@example.com', force: true })).toBe('canceled');
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', success: false, canceled: true, canceledBy: 'carol@example.com', worker: 'worker-force-cancel' });
    expect(await queue.heartbeat(job.id, job.claimId)).toEqual({ canceledBy: 'carol@example.com', canceledReason: null, alreadyCompleted: true });
    expect(await queue.complete(job.id, job.claimId, { success: true, result: 'late' })).toEqual({ repeated: true });
    expect((await queue.get('acme', job.id))!.success).toBe(false);
  });

  it('refuses a completed job, and does not find a job of another workspace', async () => {
    const job = await claimOne('done-cancel');
    await queue.complete(job.id, job.claimId, { success: true, result: 1 });
    await expectQueueError(queue.cancel('acme', job.id, { by: 'alice@example.com' }), QueueErrorCode.AlreadyCompleted);
    const other = await queue.push(newJob({ tag: 'ws-cancel' }));
    await expectQueueError(queue.cancel('other-ws', other, { by: 'mallory@example.com' }), QueueErrorCode.NotFound);
    await expectQueueError(queue.cancel('acme', '66666666-6666-4666-8666-666666666666', { by: 'alice@example.com' }), QueueErrorCode.NotFound);
    expect(await queue.get('acme', other)).toMatchObject({ type: 'QueuedJob', canceled: false });
  });
});
