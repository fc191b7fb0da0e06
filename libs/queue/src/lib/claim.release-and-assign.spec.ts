import type { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('claims made on behalf of others', () => {
  let pool: Pool;
  let queue: PgJobQueue;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });
  afterAll(() => pool.end());

  it('names the worker that received each job of a batched claim', async () => {
    await queue.pushMany([newJob({ tag: 'fleet' }), newJob({ tag: 'fleet' })]);
    const [a, b] = await queue.claim({ worker: 'broker-1', tags: ['fleet'], limit: 2 });
    const stale = { jobId: a!.id, claimId: '88888888-8888-4888-8888-888888888888', worker: 'ag-x' };
    expect(await queue.assignWorkers([{ jobId: a!.id, claimId: a!.claimId, worker: 'ag-edge-1' }, { jobId: b!.id, claimId: b!.claimId, worker: 'ag-edge-2' }, stale])).toBe(2);
    expect((await queue.get('acme', a!.id))!.worker).toBe('ag-edge-1');
    expect((await queue.get('acme', b!.id))!.worker).toBe('ag-edge-2');
  });

  it('gives back a claim nobody received: claimable again under a new claim, restarts unchanged', async () => {
    const id = await queue.push(newJob({ tag: 'giveback' }));
    const [first] = await queue.claim({ worker: 'broker-1', tags: ['giveback'], limit: 1 });
    expect(await queue.release([{ jobId: id, claimId: first!.claimId }])).toBe(1);
    expect(await queue.release([{ jobId: id, claimId: first!.claimId }])).toBe(0);
    await expectQueueError(queue.heartbeat(id, first!.claimId), QueueErrorCode.StaleClaim);
    const [second] = await queue.claim({ worker: 'broker-2', tags: ['giveback'], limit: 1 });
    expect(second).toMatchObject({ id, restarts: 0 });
    expect(second!.claimId).not.toBe(first!.claimId);
  });

  it('completes as canceled, instead of queueing again, a held job somebody asked to cancel', async () => {
    const completed: string[] = [];
    const off = queue.onCompleted((j) => {
      completed.push(j.id);
    });
    try {
      const [flagged, plain] = await queue.pushMany([newJob({ tag: 'giveback-cancel' }), newJob({ tag: 'giveback-cancel' })]);
      const claimed = await queue.claim({ worker: 'broker-1', tags: ['giveback-cancel'], limit: 2 });
      expect(await queue.cancel('acme', flagged!, { by: 'dora@example.com', reason: 'wrong input' })).toBe('flagged');
      expect(await queue.release(claimed.map((j) => ({ jobId: j.id, claimId: j.claimId })))).toBe(2);
      expect(await queue.get('acme', flagged!)).toMatchObject({
        type: 'CompletedJob',
        success: false,
        canceled: true,
        canceledBy: 'dora@example.com',
        canceledReason: 'wrong input',
        error: { name: 'Canceled', message: 'canceled by dora@example.com: wrong input before it started' },
      });
      expect(completed).toEqual([flagged]);
      // The other one is queued again, and only it can be claimed.
      expect((await queue.claim({ worker: 'broker-2', tags: ['giveback-cancel'], limit: 2 })).map((j) => j.id)).toEqual([plain]);
    } finally {
      off();
    }
  });
});
