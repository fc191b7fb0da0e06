import type { INestApplication } from '@nestjs/common';
import { PgJobQueue, PgWorkerPings } from '@millrace/queue';
import { testDatabaseUrl } from '@millrace/testing';
import { Pool } from 'pg';
import { bootWorker, completed, eventually, newJob, setGroupConfig, testPool } from '../testing/normal-worker.fixture';
import { WorkerService } from './worker.service';

let pool: Pool;
let queue: PgJobQueue;
let app: INestApplication;
let workerName: string;

beforeAll(async () => {
  // As in production, the worker's own environment holds the database URL; jobs must not see it.
  process.env['DATABASE_URL'] = testDatabaseUrl();
  pool = testPool();
  queue = new PgJobQueue(pool);
  app = await bootWorker({ WORKER_CONCURRENCY: '2', WORKER_SUFFIX: 'spec-1' });
  workerName = app.get(WorkerService).identity.name;
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
  delete process.env['DATABASE_URL'];
});

it('is named wk-<group>-<suffix>', () => {
  expect(workerName).toBe('wk-default-spec-1');
});

it('runs queued jobs of all four languages and stores their results and logs', async () => {
  const ids = await queue.pushMany([
    newJob({ language: 'bash', content: 'name="$1"\ncount="$2"\necho "bash says $name x$count"', args: { name: 'ada', count: 3 } }),
    newJob({ language: 'python3', content: 'def main(a: int, b: int = 2):\n    print("adding")\n    return {"sum": a + b}', args: { a: 40 } }),
    newJob({ language: 'nodejs', content: 'export async function main(word, times) { console.log("repeating"); return word.repeat(times); }', args: { times: 2, word: 'ab' } }),
    // The gateway compiles TypeScript to CommonJS before pushing; workers run that JavaScript.
    newJob({ language: 'typescript', content: '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.main = main;\nasync function main(n) { return n * n; }', args: { n: 9 } }),
  ]);
  const [bash, python, node, ts] = await Promise.all(ids.map((id) => completed(queue, id)));
  expect(bash).toMatchObject({ success: true, result: 'bash says ada x3', worker: workerName });
  expect(python).toMatchObject({ success: true, result: { sum: 42 } });
  expect(node).toMatchObject({ success: true, result: 'abab' });
  expect(ts).toMatchObject({ success: true, result: 81 });
  expect(await queue.getLogs('acme', ids[1]!)).toBe('adding\n');
  expect(await queue.getLogs('acme', ids[2]!)).toBe('repeating\n');
});

it('stores a failing job as failed, with its error', async () => {
  const id = await queue.push(newJob({ language: 'python3', content: 'def main():\n    raise RuntimeError("boom")' }));
  const job = await completed(queue, id);
  expect(job).toMatchObject({ success: false, error: { name: 'RuntimeError', message: 'boom' } });
  expect(job.error?.stack).toContain('RuntimeError: boom');
});

it('cancels a running job flagged through the queue, killing it', async () => {
  const id = await queue.push(newJob({ language: 'bash', content: 'echo started\nsleep 300' }));
  await eventually(async () => ((await queue.getLogs('acme', id)) ?? '').includes('started'));
  expect(await queue.cancel('acme', id, { by: 'bob@example.com', reason: 'wrong args' })).toBe('flagged');
  const job = await completed(queue, id);
  expect(job).toMatchObject({ success: false, canceled: true, canceledBy: 'bob@example.com', canceledReason: 'wrong args' });
});

it('leaves flow and dependency jobs in the queue (not supported by this worker yet)', async () => {
  const flow = await queue.push(newJob({ kind: 'flow', language: null, content: null, tag: 'flow' }));
  const dep = await queue.push(newJob({ kind: 'dependency', language: 'python3', content: 'requests', tag: 'dependency' }));
  // A later job completing shows the worker has claimed past them.
  const after = await queue.push(newJob({ language: 'bash', content: 'echo after' }));
  await completed(queue, after);
  for (const id of [flow, dep]) expect(await queue.get('acme', id)).toMatchObject({ type: 'QueuedJob', running: false });
});

it("applies a change of the group's tags and env without a restart; the worker's own env never reaches jobs", async () => {
  const gpu = await queue.push(newJob({ language: 'bash', content: 'echo "$REGION|${DATABASE_URL:-unset}|$WM_JOB_ID"', tag: 'gpu' }));
  await setGroupConfig(pool, 'default', { worker_tags: ['bash', 'python3', 'nodejs', 'gpu'], env: { REGION: 'eu-1' } });
  const job = await completed(queue, gpu);
  expect(job).toMatchObject({ success: true, result: `eu-1|unset|${gpu}` });
});

it('records pings in the worker table', async () => {
  const pings = new PgWorkerPings(pool);
  await eventually(async () => (await pings.list()).some((p) => p.worker === workerName && p.jobsExecuted > 0));
  const mine = (await pings.list()).find((p) => p.worker === workerName)!;
  expect(mine).toMatchObject({ kind: 'normal', workerGroup: 'default', version: '0.1.0' });
  expect(mine.tags.length).toBeGreaterThan(0);
});
