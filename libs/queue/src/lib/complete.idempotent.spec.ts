import type { Pool } from 'pg';
import type { FinishedJob } from './job-finish.util';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import type { ClaimedJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

// With a hook, completions read back one row per job (FINISH_JOBS); with none, only a count
// (FINISH_JOBS_COUNT). Both must complete, skip and refuse the same way.
describe.each([
  ['with a completion hook', true],
  ['with no completion hook', false],
])('completion %s', (_, hooked) => {
  let pool: Pool;
  let queue: PgJobQueue;
  const completed: FinishedJob[] = [];
  // Tags of their own per variant: both run on the same database.
  const t = (tag: string) => `${hooked ? 'h' : 'n'}-${tag}`;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
    if (hooked) {
      queue.onCompleted((job) => {
        completed.push(job);
      });
    }
  });
  afterAll(() => pool.end());

  async function claimOne(tag: string, overrides = {}): Promise<ClaimedJob> {
    await queue.push(newJob({ tag: t(tag), ...overrides }));
    const [job] = await queue.claim({ worker: `worker-${tag}`, tags: [t(tag)], limit: 1 });
    return job!;
  }

  async function rowsOf(id: string): Promise<{ hot: number; done: number }> {
    const { rows } = await pool.query<{ hot: number; done: number }>(
      'SELECT (SELECT count(*) FROM job_queue WHERE id = $1)::int AS hot, (SELECT count(*) FROM job_completed WHERE id = $1)::int AS done',
      [id],
    );
    return rows[0]!;
  }

  it('is idempotent for the same claim and keeps the first outcome; hooks run once', async () => {
    const parent = '22222222-2222-4222-8222-222222222222';
    const job = await claimOne('idem', { parentJob: parent });
    expect(await queue.complete(job.id, job.claimId, { success: true, result: { answer: 42 }, durationMs: 12 })).toEqual({ repeated: false });
    expect(await queue.complete(job.id, job.claimId, { success: true, result: { answer: 'other' }, durationMs: 99 })).toEqual({ repeated: true });
    // The same claim spelled in upper case is still the same claim.
    expect(await queue.complete(job.id.toUpperCase(), job.claimId.toUpperCase(), { success: true, result: 0 })).toEqual({ repeated: true });
    expect(await rowsOf(job.id)).toEqual({ hot: 0, done: 1 });
    const view = await queue.get('acme', job.id);
    expect(view).toMatchObject({ type: 'CompletedJob', success: true, result: { answer: 42 }, durationMs: 12, worker: 'worker-idem', running: false, canceled: false });
    expect(view!.completedAt).toBeInstanceOf(Date);
    expect(completed.filter((c) => c.id === job.id)).toEqual(hooked ? [{ id: job.id, workspaceId: 'acme', parentJob: parent, success: true }] : []);
  });

  it('stores a failure with its error, and JSON null and NUL-bearing results', async () => {
    const failed = await claimOne('fail');
    await queue.complete(failed.id, failed.claimId, { success: false, error: { name: 'Error', message: 'boom', stack: 'at x' } });
    expect(await queue.get('acme', failed.id)).toMatchObject({ success: false, error: { name: 'Error', message: 'boom', stack: 'at x' }, canceled: false });

    const nul = await claimOne('nul');
    await queue.complete(nul.id, nul.claimId, { success: true, result: { s: 'a\u0000b', keep: '\\u0000' } });
    expect((await queue.get('acme', nul.id))!.result).toEqual({ s: 'a\ufffdb', keep: '\\u0000' });

    const empty = await claimOne('null-result');
    await queue.complete(empty.id, empty.claimId, { success: true, result: null });
    expect(await queue.get('acme', empty.id)).toMatchObject({ type: 'CompletedJob', success: true, result: null });
  });

  it('rejects a foreign claim, a queued job and an unknown job', async () => {
    const job = await claimOne('foreign');
    const foreign = '33333333-3333-4333-8333-333333333333';
    await expectQueueError(queue.complete(job.id, foreign, { success: true, result: 1 }), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.heartbeat(job.id, foreign), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.appendLogs(job.id, foreign, 0, 'x'), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.complete(job.id, 'not-a-uuid', { success: true, result: 1 }), QueueErrorCode.StaleClaim);
    expect(await rowsOf(job.id)).toEqual({ hot: 1, done: 0 });

    const queued = await queue.push(newJob({ tag: t('never-claimed') }));
    await expectQueueError(queue.complete(queued, foreign, { success: true, result: 1 }), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.complete(foreign, foreign, { success: true, result: 1 }), QueueErrorCode.NotFound);
    await expectQueueError(queue.heartbeat(foreign, foreign), QueueErrorCode.NotFound);
  });

  it('heartbeats a running job and tells a finished claim it already completed', async () => {
    const job = await claimOne('beat');
    await pool.query(`UPDATE job_queue SET last_heartbeat = now() - interval '1 hour' WHERE id = $1`, [job.id]);
    expect(await queue.heartbeat(job.id, job.claimId)).toEqual({ canceledBy: null, canceledReason: null, alreadyCompleted: false });
    const { rows } = await pool.query<{ fresh: boolean }>(`SELECT last_heartbeat > now() - interval '1 minute' AS fresh FROM job_queue WHERE id = $1`, [job.id]);
    expect(rows[0]!.fresh).toBe(true);
    await queue.complete(job.id, job.claimId, { success: true, result: null });
    expect(await queue.heartbeat(job.id, job.claimId)).toEqual({ canceledBy: null, canceledReason: null, alreadyCompleted: true });
  });

  it('completes a batch in one call, skipping stale and repeated items', async () => {
    const tag = t('batch');
    await queue.pushMany(Array.from({ length: 300 }, (_, i) => newJob({ tag, args: { i } })));
    const jobs = await queue.claim({ worker: 'batcher', tags: [tag], limit: 300 });
    expect(jobs).toHaveLength(300);
    const items = jobs.map((j) => ({ jobId: j.id, claimId: j.claimId, outcome: { success: true as const, result: j.args['i'] } }));
    const stale = { jobId: jobs[0]!.id, claimId: '44444444-4444-4444-8444-444444444444', outcome: { success: true as const, result: 'stale' } };
    const before = completed.length;
    expect(await queue.completeMany([stale, ...items, items[1]!])).toBe(300);
    expect(await queue.completeMany(items)).toBe(0);
    expect(completed.length - before).toBe(hooked ? 300 : 0);
    const { rows } = await pool.query<{ n: number; ok: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.result = j.args->'i')::int AS ok
       FROM job_completed c JOIN job j ON j.id = c.id WHERE j.tag = $1`,
      [tag],
    );
    expect(rows[0]).toEqual({ n: 300, ok: 300 });
  });

  it('keeps a job completed when a hook throws, and stops calling an unsubscribed hook', async () => {
    const errors: unknown[] = [];
    const q = new PgJobQueue(pool, { onHookError: (e) => errors.push(e) });
    const calls: string[] = [];
    q.onCompleted(() => {
      throw new Error('hook broke');
    });
    const off = q.onCompleted((j) => {
      calls.push(j.id);
    });
    const a = await claimOne('hook-a');
    await q.complete(a.id, a.claimId, { success: true, result: 1 });
    off();
    const b = await claimOne('hook-b');
    await q.complete(b.id, b.claimId, { success: true, result: 1 });
    expect(calls).toEqual([a.id]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['hook broke', 'hook broke']);
    expect(await rowsOf(a.id)).toEqual({ hot: 0, done: 1 });
  });

  it('records the worker an outcome names, else the name the claim carries', async () => {
    const named = await claimOne('who-ran');
    const plain = await claimOne('who-claimed');
    await queue.completeMany([
      { jobId: named.id, claimId: named.claimId, outcome: { success: true, result: null, worker: 'ag-edge-real-runner' } },
      { jobId: plain.id, claimId: plain.claimId, outcome: { success: true, result: null } },
    ]);
    const { rows } = await pool.query<{ id: string; worker: string }>('SELECT id, worker FROM job_completed WHERE id = ANY($1::uuid[])', [[named.id, plain.id]]);
    const byId = new Map(rows.map((r) => [r.id, r.worker]));
    expect(byId.get(named.id)).toBe('ag-edge-real-runner');
    expect(byId.get(plain.id)).toBe('worker-who-claimed');
  });
});
