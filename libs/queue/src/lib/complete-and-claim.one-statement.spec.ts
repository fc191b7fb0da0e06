import type { Pool } from 'pg';
import type { FinishedJob } from './job-finish.util';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import type { ClaimedJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

// With no completion hook this is the one statement (finish + claim); with one, complete then
// claim. Both must store, claim, refuse and stay idempotent the same way.
describe.each([
  ['with no completion hook (one statement)', false],
  ['with a completion hook (two statements)', true],
])('completeAndClaim %s', (_, hooked) => {
  let pool: Pool;
  let queue: PgJobQueue;
  const completed: FinishedJob[] = [];
  const t = (tag: string) => `cc${hooked ? 'h' : 'n'}-${tag}`;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    if (hooked) queue.onCompleted((job) => void completed.push(job));
  });
  afterAll(() => pool.end());

  async function claimOne(tag: string): Promise<ClaimedJob> {
    await queue.push(newJob({ tag: t(tag) }));
    const [job] = await queue.claim({ worker: 'ag-first', tags: [t(tag)], limit: 1 });
    return job!;
  }

  async function hotRow(id: string): Promise<{ running: boolean; worker: string | null; claim_id: string | null } | undefined> {
    const { rows } = await pool.query('SELECT running, worker, claim_id FROM job_queue WHERE id = $1', [id]);
    return rows[0];
  }

  it('stores the outcome and claims the next job for the worker, in claim order, never an excluded kind', async () => {
    const job = await claimOne('next');
    // Higher priority, but a flow: agents never get one.
    const flow = await queue.push(newJob({ tag: t('next'), kind: 'flow', priority: 9 }));
    const low = await queue.push(newJob({ tag: t('next'), priority: 1 }));
    const high = await queue.push(newJob({ tag: t('other'), priority: 5 }));

    const reply = await queue.completeAndClaim(job.id, job.claimId, { success: true, result: { n: 1 }, durationMs: 7, worker: 'ag-second' }, { worker: 'ag-second', tags: [t('next'), t('other')], excludeKinds: ['flow', 'dependency'] });
    expect(reply.repeated).toBe(false);
    expect(reply.next).toMatchObject({ id: high, tag: t('other'), worker: 'ag-second', restarts: 0 });
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', success: true, result: { n: 1 }, durationMs: 7, worker: 'ag-second' });
    expect(await hotRow(job.id)).toBeUndefined();
    expect(await hotRow(high)).toEqual({ running: true, worker: 'ag-second', claim_id: reply.next!.claimId });
    expect(await hotRow(low)).toMatchObject({ running: false });
    expect(await hotRow(flow)).toMatchObject({ running: false });
    expect(completed.map((c) => c.id)).toEqual(hooked ? [job.id] : []);

    // The claim it returned completes the next one the same way.
    const second = await queue.completeAndClaim(high, reply.next!.claimId, { success: false, error: { message: 'boom' } }, { worker: 'ag-second', tags: [t('next')], excludeKinds: ['flow'] });
    expect(second).toMatchObject({ repeated: false, next: { id: low } });
    expect(await queue.get('acme', high)).toMatchObject({ success: false, error: { message: 'boom' } });
  });

  it('answers next: null when nothing is queued for the tags, and stores the outcome', async () => {
    const job = await claimOne('empty');
    expect(await queue.completeAndClaim(job.id, job.claimId, { success: true, result: null }, { worker: 'ag-x', tags: [t('nothing-here')] })).toEqual({ repeated: false, next: null });
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', success: true });
  });

  it('claims nothing for a stale claim or an unknown job, and refuses them as complete does', async () => {
    const job = await claimOne('stale');
    const waiting = await queue.push(newJob({ tag: t('stale') }));
    const foreign = '33333333-3333-4333-8333-333333333333';
    await expectQueueError(queue.completeAndClaim(job.id, foreign, { success: true, result: 1 }, { worker: 'ag-y', tags: [t('stale')] }), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.completeAndClaim(foreign, foreign, { success: true, result: 1 }, { worker: 'ag-y', tags: [t('stale')] }), QueueErrorCode.NotFound);
    await expectQueueError(queue.completeAndClaim(job.id, job.claimId, { success: true, result: 1 }, { worker: '', tags: [t('stale')] }), QueueErrorCode.InvalidJob);
    expect(await hotRow(waiting)).toMatchObject({ running: false, claim_id: null });
    expect(await hotRow(job.id)).toMatchObject({ running: true, claim_id: job.claimId });
  });

  it('keeps the first outcome of a repeated result, which then claims on its own', async () => {
    const job = await claimOne('repeat');
    expect(await queue.completeAndClaim(job.id, job.claimId, { success: true, result: 'first' }, { worker: 'ag-z', tags: [t('repeat')] })).toEqual({ repeated: false, next: null });
    const queued = await queue.push(newJob({ tag: t('repeat') }));
    const again = await queue.completeAndClaim(job.id, job.claimId, { success: true, result: 'second' }, { worker: 'ag-z', tags: [t('repeat')] });
    expect(again).toMatchObject({ repeated: true, next: { id: queued } });
    expect(await queue.get('acme', job.id)).toMatchObject({ result: 'first' });
    expect(completed.filter((c) => c.id === job.id)).toHaveLength(hooked ? 1 : 0);
  });
});
