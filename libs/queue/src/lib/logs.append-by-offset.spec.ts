import type { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import { QueueMonitor } from './queue-monitor.service';
import type { ClaimedJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('job logs', () => {
  let pool: Pool;
  let queue: PgJobQueue;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });
  afterAll(() => pool.end());

  async function claimOne(tag: string): Promise<ClaimedJob> {
    await queue.push(newJob({ tag }));
    const [job] = await queue.claim({ worker: 'logger', tags: [tag], limit: 1 });
    return job!;
  }

  it('appends by byte offset, ignores repeats, and rejects a gap with the stored offset', async () => {
    const job = await claimOne('logs');
    expect(await queue.appendLogs(job.id, job.claimId, 0, 'hello\n')).toEqual({ offset: 6 });
    // A retry of the chunk already stored changes nothing.
    expect(await queue.appendLogs(job.id, job.claimId, 0, 'hello\n')).toEqual({ offset: 6 });
    expect(await queue.appendLogs(job.id, job.claimId, 2, 'll')).toEqual({ offset: 6 });
    const gap = await expectQueueError(queue.appendLogs(job.id, job.claimId, 10, 'lost?'), QueueErrorCode.LogOffsetGap);
    expect(gap.serverOffset).toBe(6);
    expect(await queue.appendLogs(job.id, job.claimId, 6, 'world\n')).toEqual({ offset: 12 });
    expect(await queue.getLogs('acme', job.id)).toBe('hello\nworld\n');
    expect(await queue.getLogs('other-ws', job.id)).toBeNull();
  });

  it('counts offsets in UTF-8 bytes of multi-byte characters', async () => {
    const job = await claimOne('utf8');
    // "€" is 3 bytes, "é" 2, "🚀" 4.
    expect(await queue.appendLogs(job.id, job.claimId, 0, 'é€')).toEqual({ offset: 5 });
    await expectQueueError(queue.appendLogs(job.id, job.claimId, 7, 'x'), QueueErrorCode.LogOffsetGap);
    expect(await queue.appendLogs(job.id, job.claimId, 5, '🚀\n')).toEqual({ offset: 10 });
    // A client that re-chunked resends from an earlier offset: only the new tail is stored.
    expect(await queue.appendLogs(job.id, job.claimId, 2, '€🚀\nnext')).toEqual({ offset: 14 });
    expect(await queue.getLogs('acme', job.id)).toBe('é€🚀\nnext');
  });

  it('stores output holding NUL bytes', async () => {
    const job = await claimOne('nul-logs');
    expect(await queue.appendLogs(job.id, job.claimId, 0, 'a\0b')).toEqual({ offset: 3 });
    expect(await queue.getLogs('acme', job.id)).toBe('a\0b');
  });

  it('gives a job with no output empty logs, and an unknown job none', async () => {
    const id = await queue.push(newJob({ tag: 'silent' }));
    expect(await queue.getLogs('acme', id)).toBe('');
    expect(await queue.getLogs('acme', '55555555-5555-4555-8555-555555555555')).toBeNull();
  });

  it('accepts a late chunk from the claim that completed the job, but not from a requeued one', async () => {
    const job = await claimOne('late');
    await queue.appendLogs(job.id, job.claimId, 0, 'start\n');
    await queue.complete(job.id, job.claimId, { success: true, result: null });
    expect(await queue.appendLogs(job.id, job.claimId, 6, 'tail\n')).toEqual({ offset: 11 });
    expect(await queue.getLogs('acme', job.id)).toBe('start\ntail\n');
  });

  it('starts a new attempt at offset 0 after a requeue, keeping the lost attempt readable', async () => {
    const monitor = new QueueMonitor(pool, queue, { zombieTimeoutS: 30, restartLimit: 3, retentionDays: 30 });
    const first = await claimOne('attempts');
    await queue.appendLogs(first.id, first.claimId, 0, 'first try\n');
    const report = await monitor.runOnce(new Date(Date.now() + 3_600_000));
    expect(report.requeued).toContain(first.id);
    await expectQueueError(queue.appendLogs(first.id, first.claimId, 10, 'ghost'), QueueErrorCode.StaleClaim);
    const [second] = await queue.claim({ worker: 'logger-2', tags: ['attempts'], limit: 1 });
    expect(await queue.appendLogs(second!.id, second!.claimId, 0, 'second try\n')).toEqual({ offset: 11 });
    expect(await queue.getLogs('acme', first.id)).toBe('first try\n\n[millrace] attempt 2 (after 1 restart)\nsecond try\n');
  });
});
