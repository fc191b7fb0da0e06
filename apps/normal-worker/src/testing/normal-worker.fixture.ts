import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JobView, NewJob, PgJobQueue } from '@millrace/queue';
import { loadConfig } from '@millrace/server-kit';
import { testDatabaseUrl } from '@millrace/testing';
import { Logger } from 'nestjs-pino';
import { Pool } from 'pg';
import { AppModule } from '../app.module';
import { NormalWorkerConfig } from '../config/normal-worker.config';

/** Worker settings for tests: this file's database, fast intervals, quiet logs. */
export function workerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: testDatabaseUrl(),
    HEALTH_PORT: '0',
    LOG_LEVEL: 'warn',
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    POLL_INTERVAL_MS: '200',
    HEARTBEAT_INTERVAL_MS: '200',
    PING_INTERVAL_MS: '200',
    GROUP_CONFIG_REFRESH_MS: '200',
    JOB_KILL_GRACE_MS: '500',
    ...overrides,
  };
}

/**
 * Boots the normal-worker app in this process. A failed start closes what it opened
 * before rethrowing, so no pool or listener outlives the test.
 */
export async function bootWorker(overrides: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadConfig(NormalWorkerConfig, workerEnv(overrides));
  const ref = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = ref.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

export function testPool(): Pool {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 3, application_name: 'millrace-normal-worker-spec' });
  pool.on('error', () => undefined);
  return pool;
}

export function newJob(overrides: Partial<NewJob> & Pick<NewJob, 'language' | 'content'>): NewJob {
  const tag = overrides.language === 'typescript' ? 'nodejs' : (overrides.language ?? 'bash');
  return { workspaceId: 'acme', kind: 'script', args: {}, tag, createdBy: 'alice@example.com', ...overrides };
}

/** Polls until the job has completed (a bounded safety net, not a timing claim). */
export async function completed(queue: PgJobQueue, id: string, workspaceId = 'acme', timeoutMs = 20_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.get(workspaceId, id);
    if (job?.type === 'CompletedJob') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not complete (${job ? (job.running ? 'running' : 'queued') : 'missing'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


export async function setGroupConfig(pool: Pool, name: string, config: object): Promise<void> {
  await pool.query(
    `INSERT INTO worker_group_config (name, config) VALUES ($1, $2::jsonb)
     ON CONFLICT (name) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
    [name, JSON.stringify(config)],
  );
}

export { eventually } from '@millrace/testing';
