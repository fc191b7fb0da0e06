import type { Pool } from 'pg';
import { PgJobQueue } from './pg-job-queue.repository';
import { QueueErrorCode } from './queue.error';
import type { NewJob } from './queue.types';
import { expectQueueError, newJob, testPool } from './queue.test-util';

describe('push', () => {
  let pool: Pool;
  let queue: PgJobQueue;

  beforeAll(() => {
    pool = testPool();
    queue = new PgJobQueue(pool);
  });
  afterAll(() => pool.end());

  async function jobCount(): Promise<{ jobs: number; queued: number }> {
    const { rows } = await pool.query<{ jobs: number; queued: number }>(
      'SELECT (SELECT count(*) FROM job)::int AS jobs, (SELECT count(*) FROM job_queue)::int AS queued',
    );
    return rows[0]!;
  }

  it('stores a job as queued and returns its id', async () => {
    const id = await queue.push(newJob({ args: { n: 1, nested: [1, { a: 'x' }] }, priority: -5, timeoutS: 60, path: 'u/alice/hello' }));
    const view = await queue.get('acme', id);
    expect(view).toMatchObject({
      id,
      type: 'QueuedJob',
      kind: 'script',
      tag: 'bash',
      priority: -5,
      args: { n: 1, nested: [1, { a: 'x' }] },
      running: false,
      success: null,
      canceled: false,
      path: 'u/alice/hello',
      createdBy: 'alice@example.com',
    });
    expect(await queue.get('other-ws', id)).toBeNull();
  });

  const invalid: Array<[string, Partial<NewJob>, RegExp]> = [
    ['a malformed tag', { tag: 'has space' }, /^jobs\[1\]\.tag: "has space" is not a valid tag/],
    ['an unknown kind', { kind: 'cron' as NewJob['kind'] }, /^jobs\[1\]\.kind: must be one of script/],
    ['an unknown language', { language: 'ruby' as NewJob['language'] }, /^jobs\[1\]\.language:/],
    ['a priority beyond smallint', { priority: 40000 }, /^jobs\[1\]\.priority: must be an integer from -32768 to 32767/],
    ['a fractional priority', { priority: 1.5 }, /^jobs\[1\]\.priority:/],
    ['a zero timeout', { timeoutS: 0 }, /^jobs\[1\]\.timeoutS:/],
    ['args that are an array', { args: [1, 2] as unknown as Record<string, unknown> }, /^jobs\[1\]\.args: must be an object/],
    ['a NUL in args', { args: { s: 'a\u0000b' } }, /^jobs\[1\]\.args: must not contain a NUL/],
    ['a NUL in content', { content: 'echo \0' }, /^jobs\[1\]\.content: must not contain a NUL/],
    ['a bad parent id', { parentJob: 'nope' }, /^jobs\[1\]\.parentJob: must be a UUID/],
    ['a bad workspace id', { workspaceId: 'Acme!' }, /^jobs\[1\]\.workspaceId:/],
    ['no creator', { createdBy: '' }, /^jobs\[1\]\.createdBy: is required/],
    ['an invalid date', { scheduledFor: new Date('nope') }, /^jobs\[1\]\.scheduledFor:/],
  ];

  it.each(invalid)('refuses a batch holding %s and inserts nothing', async (_name, bad, message) => {
    const before = await jobCount();
    const error = await expectQueueError(queue.pushMany([newJob({ tag: 'ok' }), newJob(bad), newJob({ tag: 'ok2' })]), QueueErrorCode.InvalidJob);
    expect(error.message).toMatch(message);
    expect(await jobCount()).toEqual(before);
  });

  it('names the field without an index for a single job', async () => {
    const error = await expectQueueError(queue.push(newJob({ tag: '' })), QueueErrorCode.InvalidJob);
    expect(error.message).toMatch(/^tag: "" is not a valid tag/);
  });

  it('refuses an id that already exists, leaving the rest of the batch out too', async () => {
    const id = await queue.push(newJob());
    const before = await jobCount();
    await expectQueueError(queue.pushMany([newJob({ tag: 'fresh' }), newJob({ id })]), QueueErrorCode.InvalidJob);
    await expectQueueError(queue.pushMany([newJob({ id: '00000000-0000-4000-8000-000000000001' }), newJob({ id: '00000000-0000-4000-8000-000000000001' })]), QueueErrorCode.InvalidJob);
    expect(await jobCount()).toEqual(before);
  });

  it('keeps the given ids and their order', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) => newJob({ tag: `t${i % 3}`, args: { i } }));
    const ids = await queue.pushMany(jobs);
    expect(new Set(ids).size).toBe(50);
    const views = await Promise.all(ids.map((id) => queue.get('acme', id)));
    expect(views.map((v) => v?.args['i'])).toEqual(jobs.map((_, i) => i));
  });
});
