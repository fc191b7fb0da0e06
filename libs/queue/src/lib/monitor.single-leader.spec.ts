import { Client, Pool } from 'pg';
import { testDatabaseUrl } from '@millrace/testing';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueMonitor } from './queue-monitor.service';
import { MONITOR_LOCK_KEY } from './sql/monitor-lock.sql';
import { testPool } from './queue.test-util';

describe('queue monitor leadership', () => {
  const pools: Pool[] = [];
  let blocker: Client;

  beforeAll(async () => {
    blocker = new Client({ connectionString: testDatabaseUrl() });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await Promise.all(pools.map((p) => p.end()));
  });

  function replica(): QueueMonitor {
    // Each replica has its own pool of one connection, as separate processes would.
    const pool = testPool(1);
    pools.push(pool);
    return new QueueMonitor(pool, new PgJobQueue(pool), { zombieTimeoutS: 30, restartLimit: 3, retentionDays: 30 });
  }

  async function advisoryLockHeld(): Promise<boolean> {
    const { rows } = await blocker.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND ((classid::bigint << 32) | objid::bigint) = $1::bigint) AS held`,
      [MONITOR_LOCK_KEY],
    );
    return rows[0]!.held;
  }

  it('lets only one of two concurrent monitors run a round', async () => {
    const a = replica();
    const b = replica();
    // Hold A inside its round: its retention delete waits for this table lock.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE job_completed IN SHARE MODE');
    const roundA = a.runOnce();
    while (!(await advisoryLockHeld())) await new Promise((r) => setImmediate(r));

    const reportB = await b.runOnce();
    expect(reportB).toEqual({ ranAsLeader: false, requeued: [], failed: [], timedOut: [], canceled: [], deleted: 0 });

    await blocker.query('COMMIT');
    expect((await roundA).ranAsLeader).toBe(true);
    // The lock is released after the round: the next round can be anyone's.
    expect((await b.runOnce()).ranAsLeader).toBe(true);
    expect(await advisoryLockHeld()).toBe(false);
  });
});
