import type { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import { newJob, testPool } from './queue.test-util';

const HOUR = 3_600_000;

describe('claim order and eligibility', () => {
  let pool: Pool;
  let queue: PgJobQueue;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });
  afterAll(() => pool.end());

  it('takes priority first, then scheduled time, then creation order; never a job scheduled in the future', async () => {
    const now = Date.now();
    const [lateDue] = await queue.pushMany([newJob({ tag: 'ord', args: { name: 'lateDue' }, scheduledFor: new Date(now - 1 * HOUR) })]);
    const [urgent] = await queue.pushMany([newJob({ tag: 'ord', args: { name: 'urgent' }, priority: 5 })]);
    const [earlyDue] = await queue.pushMany([newJob({ tag: 'ord', args: { name: 'earlyDue' }, scheduledFor: new Date(now - 2 * HOUR) })]);
    // Same transaction, so the same scheduled time: creation order decides.
    const [first, second] = await queue.pushMany([newJob({ tag: 'ord', args: { name: 'first' } }), newJob({ tag: 'ord', args: { name: 'second' } })]);
    const [future] = await queue.pushMany([newJob({ tag: 'ord', args: { name: 'future' }, priority: 100, scheduledFor: new Date(now + HOUR) })]);

    const claimed = await queue.claim({ worker: 'w', tags: ['ord'], limit: 10 });
    expect(claimed.map((j) => j.id)).toEqual([urgent, earlyDue, lateDue, first, second]);
    expect(await queue.claim({ worker: 'w', tags: ['ord'], limit: 10 })).toEqual([]);

    // Once it is due, it is claimed.
    await pool.query(`UPDATE job_queue SET scheduled_for = now() - interval '1 second' WHERE id = $1`, [future]);
    const due = await queue.claim({ worker: 'w', tags: ['ord'], limit: 10 });
    expect(due.map((j) => j.id)).toEqual([future]);
  });

  it('merges the tags it serves by priority and takes only the limit', async () => {
    const a = await queue.pushMany([1, 1, 1].map((priority, i) => newJob({ tag: 'merge-a', priority, args: { i } })));
    const [b3, b2] = await queue.pushMany([3, 2].map((priority) => newJob({ tag: 'merge-b', priority })));
    await queue.push(newJob({ tag: 'merge-c', priority: 1000 }));

    const claimed = await queue.claim({ worker: 'w', tags: ['merge-a', 'merge-b', 'merge-a'], limit: 3 });
    expect(claimed.map((j) => j.id)).toEqual([b3, b2, a[0]]);
    expect(claimed.map((j) => j.tag)).toEqual(['merge-b', 'merge-b', 'merge-a']);
    const rest = await queue.claim({ worker: 'w', tags: ['merge-a', 'merge-b'], limit: 10 });
    expect(rest.map((j) => j.id)).toEqual([a[1], a[2]]);
  });

  it('returns what a worker needs and a fresh claim per job', async () => {
    const parent = '11111111-1111-4111-8111-111111111111';
    const scheduledFor = new Date(Date.now() - 61_234);
    const id = await queue.push(
      newJob({ tag: 'payload', kind: 'flowstep', language: 'python3', content: 'def main(): pass', lock: 'x==1', args: { a: [1] }, timeoutS: 30, parentJob: parent, rootJob: parent, flowStepId: 'a', path: 'f/x/y', scheduledFor }),
    );
    const [job] = await queue.claim({ worker: 'payload-worker', tags: ['payload'], limit: 1 });
    expect(job).toMatchObject({
      id,
      workspaceId: 'acme',
      kind: 'flowstep',
      language: 'python3',
      content: 'def main(): pass',
      lock: 'x==1',
      args: { a: [1] },
      tag: 'payload',
      timeoutS: 30,
      parentJob: parent,
      rootJob: parent,
      flowStepId: 'a',
      path: 'f/x/y',
      worker: 'payload-worker',
      restarts: 0,
    });
    expect(job!.claimId).toMatch(/^[0-9a-f-]{36}$/);
    const view = await queue.get('acme', id);
    expect(view).toMatchObject({ type: 'QueuedJob', running: true, worker: 'payload-worker' });
    // The claim sends timestamps as epoch milliseconds: the same instants the view reads.
    expect(job!.scheduledFor.getTime()).toBe(scheduledFor.getTime());
    expect([job!.createdAt, job!.startedAt].map((d) => d.getTime())).toEqual([view!.createdAt.getTime(), view!.startedAt!.getTime()]);
    expect(job!.startedAt.getTime()).toBeGreaterThanOrEqual(job!.createdAt.getTime());
  });

  it('never hands out a kind the worker excludes', async () => {
    const [flow, script, dependency] = await queue.pushMany([
      newJob({ tag: 'excl', kind: 'flow', language: null }),
      newJob({ tag: 'excl', kind: 'script' }),
      newJob({ tag: 'excl', kind: 'dependency' }),
    ]);
    const agent = await queue.claim({ worker: 'agent', tags: ['excl'], limit: 10, excludeKinds: ['flow', 'dependency'] });
    expect(agent.map((j) => j.id)).toEqual([script]);
    const normal = await queue.claim({ worker: 'normal', tags: ['excl'], limit: 10 });
    expect(normal.map((j) => j.id).sort()).toEqual([flow, dependency].sort());
  });

  it('claims nothing for tags with no work, and refuses a limit out of range', async () => {
    expect(await queue.claim({ worker: 'w', tags: ['nobody-pushes-this'], limit: 5 })).toEqual([]);
    expect(await queue.claim({ worker: 'w', tags: [], limit: 5 })).toEqual([]);
    await expect(queue.claim({ worker: 'w', tags: ['x'], limit: 0 })).rejects.toMatchObject({ code: 'invalid_job' });
    await expect(queue.claim({ worker: 'w', tags: ['x'], limit: 1001 })).rejects.toMatchObject({ code: 'invalid_job' });
  });
});
