import { ChildProcess } from 'node:child_process';
import { PgJobQueue, PgWorkerPings } from '@millrace/queue';
import { ExitedProcess, spawnBuiltApp, testDatabaseUrl, waitForExit } from '@millrace/testing';
import { Pool } from 'pg';
import { completed, eventually, newJob, testPool } from './testing/normal-worker.fixture';

// Runs dist/apps/normal-worker/main.js: the project's test target builds it first.
describe('normal-worker as a real process', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  let child: ChildProcess | undefined;
  let exit: Promise<ExitedProcess> | undefined;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await exit;
    await pool.end();
  });

  it('on SIGTERM lets a running job finish, reports it, and exits 0', async () => {
    child = spawnBuiltApp('normal-worker', {
      DATABASE_URL: testDatabaseUrl(),
      HEALTH_PORT: '0',
      WORKER_SUFFIX: 'sigterm',
      SHUTDOWN_GRACE_S: '30',
      POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'info',
    });
    let exited = false;
    exit = waitForExit(child, 60_000).then((e) => ((exited = true), e));
    const pings = new PgWorkerPings(pool);
    await eventually(async () => {
      if (exited) throw new Error(`the worker exited early: ${(await exit)?.stderr ?? ''}`);
      return (await pings.list()).some((p) => p.worker === 'wk-default-sigterm');
    }, 'the worker to ping', 30_000);

    // Also checks, in a real deployment shape, that the worker's DATABASE_URL stays out of jobs.
    const id = await queue.push(newJob({ language: 'bash', content: 'echo started\nsleep 2\necho "finished ${DATABASE_URL:-no-db-url}"' }));
    await eventually(async () => ((await queue.getLogs('acme', id)) ?? '').includes('started'));

    child.kill('SIGTERM');
    const result = await exit;

    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain('running jobs get');
    expect(await completed(queue, id)).toMatchObject({ success: true, result: 'finished no-db-url', worker: 'wk-default-sigterm' });
    expect(await queue.getLogs('acme', id)).toBe('started\nfinished no-db-url\n');
  });
});
