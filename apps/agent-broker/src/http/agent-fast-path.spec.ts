import { agentHeaders, agentToken, bootBroker, BrokerHarness, newJob } from '../testing/agent-broker.fixture';

const ping = { ping_type: 'main_loop', version: '0.1.0', worker_instance: 'inst-1', ip: '10.0.0.7', memory_bytes: 1024, jobs_executed: 3 };

describe('update_ping, pull_job and send_result outside the Nest pipeline: same checks, same error shape', () => {
  let h: BrokerHarness;
  let token: string;

  beforeAll(async () => {
    h = await bootBroker();
    token = agentToken(h.keys, { worker_group: 'fast', tags: ['fast'] });
  });
  afterAll(() => h.app.close());

  const post = (path: string) => h.http.post(path).set(agentHeaders(token, 'f1'));

  it('refuses a body that is not JSON with 400 saying so', async () => {
    const res = await post('/api/agent_workers/update_ping').set('content-type', 'application/json').send('{"ping_type": ').expect(400);
    expect(res.body).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/request body is not valid JSON/) } });
  });

  it('refuses an oversized ping with 413 and keeps serving the connection', async () => {
    const res = await post('/api/agent_workers/update_ping').send({ ...ping, version: 'x'.repeat(20_000) }).expect(413);
    expect(res.body.error.message).toMatch(/too large/);
    await post('/api/agent_workers/update_ping').send(ping).expect(200);
  });

  it('refuses an unknown field and a bad wait_s, naming them', async () => {
    expect((await post('/api/agent_workers/update_ping').send({ ...ping, extra: 1 }).expect(400)).body.error.message).toMatch(/extra/);
    expect((await post('/api/agent_workers/pull_job?wait_s=99').expect(400)).body.error.message).toMatch(/wait_s/);
  });

  it('checks the agent token first: 401 without one, whatever the body', async () => {
    const res = await h.http.post('/api/agent_workers/update_ping').send('not json').expect(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  // No Nest route serves send_result any more: these answers come from the fast path.
  it('answers send_result itself, with the job routes’ checks and errors', async () => {
    const id = await h.queue.push(newJob('fast'));
    const pulled = await post('/api/agent_workers/pull_job?wait_s=0').expect(200);
    const send = (body: object, jobToken: string = pulled.body.job_token, path = `/api/w/acme/agent_workers/send_result/${id}`) =>
      post(path).set('X-Job-Token', jobToken).send(body);

    const missing = await send({ result: 1, duration_ms: 3 }).expect(400);
    expect(missing.body.error.message).toMatch(/success/);
    expect((await send({ success: true, duration_ms: 3 }, 'not-a-token').expect(401)).body.error.message).toMatch(/job token refused/);
    expect((await send({ success: true, duration_ms: 3 }, pulled.body.job_token, '/api/w/acme/agent_workers/send_result/%E0%A4%A').expect(400)).body.error.code).toBe('bad_request');
    expect((await send({ success: true, duration_ms: 3 }, pulled.body.job_token, `/api/w/other-ws/agent_workers/send_result/${id}`).expect(404)).body.error.code).toBe('not_found');
    await send({ success: true, result: { n: 1 }, duration_ms: 3 }).expect(200, { repeated: false });
    await send({ success: true, result: { n: 2 }, duration_ms: 4 }).expect(200, { repeated: true });
    expect(await h.queue.get('acme', id)).toMatchObject({ type: 'CompletedJob', success: true, result: { n: 1 }, durationMs: 3, worker: 'ag-fast-f1' });

    // A claim that no longer holds the job: the queue's 409, shaped as QueueErrorFilter shapes it.
    const requeued = await h.queue.push(newJob('fast'));
    const first = await post('/api/agent_workers/pull_job?wait_s=0').expect(200);
    expect(first.body.job.id).toBe(requeued);
    await h.queue.release([{ jobId: requeued, claimId: await claimOf(requeued) }]);
    const stale = await send({ success: true, duration_ms: 1 }, first.body.job_token, `/api/w/acme/agent_workers/send_result/${requeued}`).expect(409);
    expect(stale.body.error.code).toBe('stale_claim');
  });

  async function claimOf(jobId: string): Promise<string> {
    const { rows } = await h.pool.query<{ claim_id: string }>('SELECT claim_id FROM job_queue WHERE id = $1', [jobId]);
    return rows[0]!.claim_id;
  }

  it('leaves other methods and routes to Nest', async () => {
    await h.http.get('/api/agent_workers/update_ping').set(agentHeaders(token, 'f1')).expect(404);
    await h.http.get('/health/live').expect(200);
  });
});
