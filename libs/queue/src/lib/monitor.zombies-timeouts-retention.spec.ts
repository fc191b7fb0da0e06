import type { Pool } from 'pg';
import type { FinishedJob } from './job-finish.util';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import { QueueMonitor } from './queue-monitor.service';
import type { ClaimedJob, NewJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('queue monitor', () => {
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

  const monitor = (restartLimit = 3) => new QueueMonitor(pool, queue, { zombieTimeoutS: 30, restartLimit, retentionDays: 30 });

  async function claimOne(tag: string, worker: string, overrides: Partial<NewJob> = {}): Promise<ClaimedJob> {
    await queue.push(newJob({ tag, ...overrides }));
    const [job] = await queue.claim({ worker, tags: [tag], limit: 1 });
    return job!;
  }

  it('leaves jobs with a recent heartbeat alone', async () => {
    const job = await claimOne('alive', 'w-alive');
    const report = await monitor().runOnce(new Date(Date.now() + 10_000));
    expect(report.ranAsLeader).toBe(true);
    expect(report.requeued).not.toContain(job.id);
    expect(await queue.heartbeat(job.id, job.claimId)).toMatchObject({ alreadyCompleted: false });
  });

  it('requeues a zombie job: the lost claim can no longer heartbeat, log or complete; a new claim can', async () => {
    const lost = await claimOne('zombie', 'w-lost');
    const report = await monitor().runOnce(new Date(Date.now() + 10 * MINUTE));
    expect(report.requeued).toContain(lost.id);
    expect(await queue.get('acme', lost.id)).toMatchObject({ type: 'QueuedJob', running: false, restarts: 1, worker: null });

    await expectQueueError(queue.heartbeat(lost.id, lost.claimId), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.appendLogs(lost.id, lost.claimId, 0, 'x'), QueueErrorCode.StaleClaim);
    await expectQueueError(queue.complete(lost.id, lost.claimId, { success: true, result: 'stale' }), QueueErrorCode.StaleClaim);

    const [again] = await queue.claim({ worker: 'w-new', tags: ['zombie'], limit: 1 });
    expect(again).toMatchObject({ id: lost.id, restarts: 1, worker: 'w-new' });
    expect(again!.claimId).not.toBe(lost.claimId);
    await expectQueueError(queue.complete(lost.id, lost.claimId, { success: true, result: 'stale' }), QueueErrorCode.StaleClaim);
    expect(await queue.complete(again!.id, again!.claimId, { success: true, result: 'fresh' })).toEqual({ repeated: false });
    expect(await queue.get('acme', lost.id)).toMatchObject({ type: 'CompletedJob', success: true, result: 'fresh', restarts: 1, worker: 'w-new' });
  });

  it('fails a job whose worker is lost once the restart limit is reached, naming the worker', async () => {
    const m = monitor(1);
    const first = await claimOne('limit', 'w-first');
    const far = Date.now() + 10 * MINUTE;
    expect((await m.runOnce(new Date(far))).requeued).toContain(first.id);
    const [second] = await queue.claim({ worker: 'w-second', tags: ['limit'], limit: 1 });
    const report = await m.runOnce(new Date(far + 10 * MINUTE));
    expect(report.failed).toEqual([second!.id]);
    expect(report.requeued).not.toContain(second!.id);
    const view = await queue.get('acme', first.id);
    expect(view).toMatchObject({ type: 'CompletedJob', success: false, canceled: false, restarts: 1, worker: 'w-second' });
    expect(view!.error!.name).toBe('LostWorker');
    expect(view!.error!.message).toMatch(/worker "w-second" stopped sending heartbeats/);
    expect(hooked.filter((h) => h.id === first.id)).toHaveLength(1);
  });

  it('completes a zombie that was asked to cancel as canceled instead of requeueing it', async () => {
    const job = await claimOne('zombie-cancel', 'w-gone');
    await queue.cancel('acme', job.id, { by: 'alice@example.com', reason: 'stop' });
    const report = await monitor().runOnce(new Date(Date.now() + 10 * MINUTE));
    expect(report.canceled).toContain(job.id);
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', canceled: true, canceledBy: 'alice@example.com', canceledReason: 'stop' });
  });

  it('cancels a job running past its timeout with reason timeout', async () => {
    const job = await claimOne('slow', 'w-slow', { timeoutS: 5 });
    const patient = await claimOne('patient', 'w-patient', { timeoutS: 3600 });
    // Heartbeats are fresh at that time: this is a timeout, not a zombie.
    await pool.query(`UPDATE job_queue SET last_heartbeat = now() + interval '1 minute' WHERE id = ANY ($1::uuid[])`, [[job.id, patient.id]]);
    const report = await new QueueMonitor(pool, queue, { zombieTimeoutS: 3600, restartLimit: 3, retentionDays: 30 }).runOnce(new Date(Date.now() + 30_000));
    expect(report.timedOut).toEqual([job.id]);
    expect(await queue.get('acme', job.id)).toMatchObject({ type: 'CompletedJob', success: false, canceled: true, canceledReason: 'timeout', error: { name: 'Timeout' } });
    expect(await queue.get('acme', patient.id)).toMatchObject({ type: 'QueuedJob', running: true });
    expect(await queue.heartbeat(job.id, job.claimId)).toMatchObject({ alreadyCompleted: true, canceledReason: 'timeout' });
  });

  it('deletes completed jobs past retention with their logs, and keeps queued and recent ones', async () => {
    const old = await claimOne('old', 'w-old');
    await queue.appendLogs(old.id, old.claimId, 0, 'old output\n');
    await queue.complete(old.id, old.claimId, { success: true, result: 1 });
    const recent = await claimOne('recent', 'w-recent');
    await queue.complete(recent.id, recent.claimId, { success: true, result: 2 });
    const waiting = await queue.push(newJob({ tag: 'retention-queued' }));
    const at = Date.now() + 31 * DAY;
    await pool.query(`UPDATE job_completed SET completed_at = $2 WHERE id = $1`, [recent.id, new Date(at - DAY)]);

    const report = await new QueueMonitor(pool, queue, { zombieTimeoutS: 1e9, restartLimit: 3, retentionDays: 30, deleteBatchSize: 2 }).runOnce(new Date(at));
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    expect(await queue.get('acme', old.id)).toBeNull();
    expect(await queue.getLogs('acme', old.id)).toBeNull();
    const { rows } = await pool.query<{ logs: number; defs: number }>(
      'SELECT (SELECT count(*) FROM job_logs WHERE job_id = $1)::int AS logs, (SELECT count(*) FROM job WHERE id = $1)::int AS defs',
      [old.id],
    );
    expect(rows[0]).toEqual({ logs: 0, defs: 0 });
    expect(await queue.get('acme', recent.id)).toMatchObject({ type: 'CompletedJob' });
    expect(await queue.get('acme', waiting)).toMatchObject({ type: 'QueuedJob' });
    const left = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM job_completed WHERE completed_at < $1', [new Date(at - 30 * DAY)]);
    expect(left.rows[0]!.n).toBe(0);
  });
});
