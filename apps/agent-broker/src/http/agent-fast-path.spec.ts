import { agentHeaders, agentToken, bootBroker, BrokerHarness } from '../testing/agent-broker.fixture';

const ping = { ping_type: 'main_loop', version: '0.1.0', worker_instance: 'inst-1', ip: '10.0.0.7', memory_bytes: 1024, jobs_executed: 3 };

describe('update_ping and pull_job outside the Nest pipeline: same checks, same error shape', () => {
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

  it('leaves other methods and routes to Nest', async () => {
    await h.http.get('/api/agent_workers/update_ping').set(agentHeaders(token, 'f1')).expect(404);
    await h.http.get('/health/live').expect(200);
  });
});
