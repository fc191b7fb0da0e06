import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { PgJobQueue } from '@millrace/queue';
import { Pool } from 'pg';
import { bootWorker, completed, newJob, setGroupConfig, testPool } from '../testing/normal-worker.fixture';

let pool: Pool;
const scratch = mkdtempSync(path.join(tmpdir(), 'millrace-init-spec-'));

beforeAll(() => {
  pool = testPool();
});

afterAll(async () => {
  await pool.end();
  rmSync(scratch, { recursive: true, force: true });
});

it("runs the group's init_bash once before taking jobs, with the group's env", async () => {
  const marker = path.join(scratch, 'init.log');
  await setGroupConfig(pool, 'builders', { worker_tags: ['build'], init_bash: `echo "init $TOOLCHAIN" >> ${marker}`, env: { TOOLCHAIN: 'v2' } });
  let app: INestApplication | undefined;
  try {
    app = await bootWorker({ WORKER_GROUP: 'builders' });
    // Taking a job proves start-up went past init; the marker shows init ran exactly once.
    const id = await new PgJobQueue(pool).push(newJob({ language: 'bash', content: `cat ${marker}`, tag: 'build' }));
    expect(await completed(new PgJobQueue(pool), id)).toMatchObject({ success: true, result: 'init v2' });
    expect(readFileSync(marker, 'utf8')).toBe('init v2\n');
  } finally {
    await app?.close();
  }
});
