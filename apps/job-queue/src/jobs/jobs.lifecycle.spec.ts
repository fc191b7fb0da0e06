import { PgJobQueue } from '@millrace/queue';
import request from 'supertest';
import { bootJobQueue, JobQueueHarness } from '../testing/job-queue.fixture';

describe('job-queue internal API: a job from push to result', () => {
  let h: JobQueueHarness;
  let queue: PgJobQueue;
  const auth = () => ({ Authorization: `Bearer ${h.token}` });

  beforeAll(async () => {
    h = await bootJobQueue();
    queue = h.app.get(PgJobQueue);
  });
  afterAll(() => h.app.close());

  const bash = { kind: 'script', language: 'bash', content: 'echo hi', path: 'u/alice/hi' };

  it('pushes a job, resolving its tag, and reads it back queued', async () => {
    const res = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, args: { x: 1 } }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), tag: 'bash' });
    const got = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${res.body.id}`).set(auth()).expect(200);
    expect(got.body).toMatchObject({ id: res.body.id, workspace_id: 'acme', type: 'QueuedJob', job_kind: 'script', tag: 'bash', running: false, args: { x: 1 }, created_by: 'alice@example.com', logs: '' });
  });

  it('resolves dynamic tags from the workspace and the args', async () => {
    const res = await request(h.app.getHttpServer())
      .post('/internal/v1/w/acme/jobs')
      .set(auth())
      .send({ ...bash, script_tag: '$workspace-$args[region]', args: { region: 'eu' } })
      .expect(201);
    expect(res.body.tag).toBe('acme-eu');
  });

  it('runs the whole lifecycle: claim, logs, complete, result, wait', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'lifecycle' }).expect(201);
    const waiting = request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/wait?timeout_s=20`).set(auth());
    const waited = waiting.then((r) => r);
    const [claimed] = await queue.claim({ worker: 'wk-test-1', tags: ['lifecycle'], limit: 1 });
    expect(claimed?.id).toBe(body.id);
    const running = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}`).set(auth()).expect(200);
    expect(running.body).toMatchObject({ type: 'QueuedJob', running: true, worker: 'wk-test-1' });
    await queue.appendLogs(body.id, claimed!.claimId, 0, 'hello\n');
    await queue.complete(body.id, claimed!.claimId, { success: true, result: { answer: 42 } });
    const done = await waited;
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: body.id, type: 'CompletedJob', success: true, result: { answer: 42 } });
    const result = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}/result`).set(auth()).expect(200);
    expect(result.body).toEqual({ answer: 42 });
    const logs = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}/logs`).set(auth()).expect(200);
    expect(logs.text).toBe('hello\n');
    expect(logs.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('reads a failure the same whichever worker reported it: {error}', async () => {
    for (const reported of [undefined, { message: 'boom', name: 'Error' }]) {
      const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'failing' }).expect(201);
      const [claimed] = await queue.claim({ worker: 'wk-test-3', tags: ['failing'], limit: 1 });
      await queue.complete(body.id, claimed!.claimId, { success: false, error: { message: 'boom', name: 'Error' }, result: reported });
      const res = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}/result`).set(auth()).expect(200);
      expect(res.body).toEqual({ error: { message: 'boom', name: 'Error' } });
    }
  });

  it('answers 409 for the result of a job still queued', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'nobody' }).expect(201);
    const res = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}/result`).set(auth()).expect(409);
    expect(res.body.error.code).toBe('not_completed');
  });

  it('times a wait out with 408', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'nobody' }).expect(201);
    const res = await request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/wait?timeout_s=1`).set(auth()).expect(408);
    expect(res.body.error.message).toMatch(/did not complete within 1s/);
  });

  it('cancels a queued job at once and refuses to cancel it again', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'nobody' }).expect(201);
    await request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/cancel`).set(auth()).send({ reason: 'not needed' }).expect(200, { status: 'canceled' });
    const got = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}`).set(auth()).expect(200);
    expect(got.body).toMatchObject({ type: 'CompletedJob', canceled: true, success: false, canceled_by: 'alice@example.com', canceled_reason: 'not needed' });
    const again = await request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/cancel`).set(auth()).send({}).expect(409);
    expect(again.body.error.code).toBe('already_completed');
  });

  it('flags a running job for its worker, and force completes it', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'cancel-running' }).expect(201);
    const [claimed] = await queue.claim({ worker: 'wk-test-2', tags: ['cancel-running'], limit: 1 });
    await request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/cancel`).set(auth()).send({ reason: 'stop' }).expect(200, { status: 'flagged' });
    const beat = await queue.heartbeat(body.id, claimed!.claimId);
    expect(beat).toMatchObject({ canceledBy: 'alice@example.com', canceledReason: 'stop', alreadyCompleted: false });
    await request(h.app.getHttpServer()).post(`/internal/v1/w/acme/jobs/${body.id}/cancel`).set(auth()).send({ force: true }).expect(200, { status: 'canceled' });
    const got = await request(h.app.getHttpServer()).get(`/internal/v1/w/acme/jobs/${body.id}`).set(auth()).expect(200);
    expect(got.body).toMatchObject({ type: 'CompletedJob', canceled: true });
  });

  it('pushes a batch in one go and lists with filters and pagination', async () => {
    const jobs = Array.from({ length: 5 }, (_, i) => ({ ...bash, tag: `batch-${i % 2}`, priority: i }));
    const res = await request(h.app.getHttpServer()).post('/internal/v1/w/batchws/jobs/batch').set(auth()).send({ jobs }).expect(201);
    expect(res.body.ids).toHaveLength(5);
    expect(res.body.tags).toEqual(['batch-0', 'batch-1', 'batch-0', 'batch-1', 'batch-0']);
    const all = await request(h.app.getHttpServer()).get('/internal/v1/w/batchws/jobs').set(auth()).expect(200);
    expect(all.body).toHaveLength(5);
    const byTag = await request(h.app.getHttpServer()).get('/internal/v1/w/batchws/jobs?tag=batch-1').set(auth()).expect(200);
    expect(byTag.body.map((j: { tag: string }) => j.tag)).toEqual(['batch-1', 'batch-1']);
    const page2 = await request(h.app.getHttpServer()).get('/internal/v1/w/batchws/jobs?per_page=2&page=3').set(auth()).expect(200);
    expect(page2.body).toHaveLength(1);
    const otherWs = await request(h.app.getHttpServer()).get('/internal/v1/w/acme/jobs?tag=batch-1').set(auth()).expect(200);
    expect(otherWs.body).toEqual([]);
  });

  it('does not show a job through another workspace', async () => {
    const { body } = await request(h.app.getHttpServer()).post('/internal/v1/w/acme/jobs').set(auth()).send(bash).expect(201);
    await request(h.app.getHttpServer()).get(`/internal/v1/w/other/jobs/${body.id}`).set(auth()).expect(404);
  });
});
