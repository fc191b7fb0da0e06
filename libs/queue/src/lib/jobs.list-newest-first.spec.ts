import type { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('listing jobs', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    // Pushed oldest first; the first l-a job gets claimed below, so it is the running one.
    [ids['running'], ids['queued'], ids['ok'], ids['failed'], ids['flow']] = await queue.pushMany([
      newJob({ tag: 'l-a' }),
      newJob({ tag: 'l-a' }),
      newJob({ tag: 'l-b' }),
      newJob({ tag: 'l-b' }),
      newJob({ tag: 'flow', kind: 'flow', language: null }),
    ]);
    await queue.push(newJob({ tag: 'l-a', workspaceId: 'other-ws' }));
    const [running] = await queue.claim({ worker: 'w-run', tags: ['l-a'], limit: 1 });
    expect(running!.id).toBe(ids['running']);
    const done = await queue.claim({ worker: 'w-done', tags: ['l-b'], limit: 2 });
    await queue.complete(done[0]!.id, done[0]!.claimId, { success: true, result: 1 });
    await queue.complete(done[1]!.id, done[1]!.claimId, { success: false, error: { message: 'x' } });
  });
  afterAll(() => pool.end());

  const list = (filter: Partial<Parameters<PgJobQueue['list']>[1]> = {}) => queue.list('acme', { page: 1, perPage: 100, ...filter }).then((jobs) => jobs.map((j) => j.id));

  it('lists a workspace newest first, queued and completed together', async () => {
    expect(await list()).toEqual([ids['flow'], ids['failed'], ids['ok'], ids['queued'], ids['running']]);
  });

  it('filters by running, success, tag, worker and kinds', async () => {
    expect(await list({ running: true })).toEqual([ids['running']]);
    expect(await list({ running: false })).toEqual([ids['flow'], ids['failed'], ids['ok'], ids['queued']]);
    expect(await list({ success: true })).toEqual([ids['ok']]);
    expect(await list({ success: false })).toEqual([ids['failed']]);
    expect(await list({ tag: 'l-a' })).toEqual([ids['queued'], ids['running']]);
    expect(await list({ worker: 'w-done' })).toEqual([ids['failed'], ids['ok']]);
    expect(await list({ kinds: ['flow'] })).toEqual([ids['flow']]);
  });

  it('pages', async () => {
    expect(await list({ perPage: 2, page: 2 })).toEqual([ids['ok'], ids['queued']]);
    expect(await list({ perPage: 2, page: 4 })).toEqual([]);
    await expectQueueError(queue.list('acme', { page: 0, perPage: 10 }), QueueErrorCode.InvalidJob);
    await expectQueueError(queue.list('acme', { page: 1, perPage: 1001 }), QueueErrorCode.InvalidJob);
  });
});
