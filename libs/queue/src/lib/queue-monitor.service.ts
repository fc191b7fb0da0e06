import type { Pool, PoolClient } from 'pg';
import type { JobFinish } from './job-finish.util';
import type { PgJobQueue } from './pg-job-queue.repository';
import { NEW_JOBS_CHANNEL } from './queue.channels';
import type { MonitorReport, QueueMonitorOptions } from './queue-monitor.types';
import { DELETE_EXPIRED } from './sql/delete-expired.sql';
import { FIND_TIMED_OUT } from './sql/find-timed-out.sql';
import { FIND_ZOMBIES } from './sql/find-zombies.sql';
import { MONITOR_LOCK_KEY, TRY_MONITOR_LOCK } from './sql/monitor-lock.sql';
import { MONITOR_UNLOCK } from './sql/monitor-unlock.sql';
import { REQUEUE_ZOMBIES } from './sql/requeue-zombies.sql';

interface TimedOutRow {
  id: string;
  claim_id: string;
  worker: string | null;
  timeout_s: number;
}

interface ZombieRow {
  id: string;
  claim_id: string;
  worker: string | null;
  restarts: number;
  last_heartbeat: Date;
  canceled_by: string | null;
  canceled_reason: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The queue's housekeeping, one round per call: cancel jobs past their timeout, requeue or
 * fail zombie jobs, delete expired completed jobs. Every replica may call it on a timer; a
 * session advisory lock makes one of them do the round and the others return at once.
 * Everything it completes goes through the claim check of FINISH_JOBS, so a worker
 * finishing the same job at the same moment is never overwritten.
 */
export class QueueMonitor {
  constructor(
    private readonly pool: Pool,
    private readonly queue: PgJobQueue,
    private readonly options: QueueMonitorOptions,
  ) {
    const { zombieTimeoutS, restartLimit, retentionDays } = options;
    if (!(zombieTimeoutS > 0) || !Number.isInteger(restartLimit) || restartLimit < 0 || !(retentionDays > 0)) {
      throw new RangeError('QueueMonitor needs zombieTimeoutS > 0, an integer restartLimit >= 0 and retentionDays > 0');
    }
  }

  /** `now` lets tests (and catch-up runs) judge staleness and expiry against another time. */
  async runOnce(now: Date = new Date()): Promise<MonitorReport> {
    const report: MonitorReport = { ranAsLeader: false, requeued: [], failed: [], timedOut: [], canceled: [], deleted: 0 };
    // All of the round runs on the one connection holding the lock, so a pool of one suffices.
    const client = await this.pool.connect();
    let locked = false;
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean }>(TRY_MONITOR_LOCK, [MONITOR_LOCK_KEY]);
      locked = rows[0]?.locked === true;
      if (!locked) return report;
      report.ranAsLeader = true;
      report.timedOut = await this.cancelTimedOut(client, now);
      await this.handleZombies(client, now, report);
      report.deleted = await this.deleteExpired(client, now);
      return report;
    } finally {
      if (locked) {
        try {
          await client.query(MONITOR_UNLOCK, [MONITOR_LOCK_KEY]);
        } catch (error) {
          // Destroying the connection releases its session lock.
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
      client.release(broken);
    }
  }

  private async cancelTimedOut(client: PoolClient, now: Date): Promise<string[]> {
    const { rows } = await client.query<TimedOutRow>(FIND_TIMED_OUT, [now]);
    const finishes: JobFinish[] = rows.map((row) => ({
      jobId: row.id,
      claimId: row.claim_id,
      success: false,
      error: { name: 'Timeout', message: `the job ran longer than its timeout of ${row.timeout_s} s${row.worker ? ` on worker "${row.worker}"` : ''}` },
      canceledBy: 'monitor',
      canceledReason: 'timeout',
    }));
    return (await this.queue.finish(finishes, client)).map((j) => j.id);
  }

  private async handleZombies(client: PoolClient, now: Date, report: MonitorReport): Promise<void> {
    const staleBefore = new Date(now.getTime() - this.options.zombieTimeoutS * 1000);
    const { rows } = await client.query<ZombieRow>(FIND_ZOMBIES, [staleBefore]);
    const requeue: ZombieRow[] = [];
    const failures: JobFinish[] = [];
    const cancels: JobFinish[] = [];
    for (const z of rows) {
      const worker = z.worker ?? 'unknown';
      if (z.canceled_by !== null) {
        // It was asked to stop: running it again elsewhere would defy the cancel.
        cancels.push({
          jobId: z.id,
          claimId: z.claim_id,
          success: false,
          error: { name: 'Canceled', message: `canceled by ${z.canceled_by}; worker "${worker}" was lost before it stopped the job` },
          canceledBy: z.canceled_by,
          canceledReason: z.canceled_reason,
        });
      } else if (z.restarts >= this.options.restartLimit) {
        failures.push({
          jobId: z.id,
          claimId: z.claim_id,
          success: false,
          error: {
            name: 'LostWorker',
            message: `worker "${worker}" stopped sending heartbeats (last at ${z.last_heartbeat.toISOString()}); the job was restarted ${z.restarts} time(s), the limit is ${this.options.restartLimit}`,
          },
        });
      } else {
        requeue.push(z);
      }
    }
    if (requeue.length > 0) {
      const { rows: requeued } = await client.query<{ id: string }>(REQUEUE_ZOMBIES, [requeue.map((z) => z.id), requeue.map((z) => z.claim_id), NEW_JOBS_CHANNEL]);
      report.requeued = requeued.map((r) => r.id);
    }
    report.failed = (await this.queue.finish(failures, client)).map((j) => j.id);
    report.canceled = (await this.queue.finish(cancels, client)).map((j) => j.id);
  }

  private async deleteExpired(client: PoolClient, now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.options.retentionDays * DAY_MS);
    const batch = this.options.deleteBatchSize ?? 5000;
    const maxBatches = this.options.maxDeleteBatches ?? 20;
    let deleted = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { rows } = await client.query<{ deleted: number }>(DELETE_EXPIRED, [before, batch]);
      const n = rows[0]?.deleted ?? 0;
      deleted += n;
      if (n < batch) break;
    }
    return deleted;
  }
}
