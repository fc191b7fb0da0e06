import request from 'supertest';
import { agentHeaders, agentToken, bootBroker, BrokerHarness } from '../testing/agent-broker.fixture';

describe('record_init_job: an agent INIT_SCRIPT becomes a completed init job', () => {
  let h: BrokerHarness;
  let token: string;
  const post = (body: unknown, headers = agentHeaders(token, 'box1')) => request(h.app.getHttpServer()).post('/api/agent_workers/record_init_job').set(headers).send(body as object);

  beforeAll(async () => {
    h = await bootBroker();
    token = agentToken(h.keys, { worker_group: 'edge', tags: ['a'] });
  });
  afterAll(() => h.app.close());

  it('records a success with its logs, in the admins workspace, by the agent', async () => {
    const res = await post({ content: 'echo hi', success: true, logs: 'hi\n', result: null, duration_ms: 12 }).expect(201);
    const job = await h.queue.get('admins', res.body.id);
    expect(job).toMatchObject({ type: 'CompletedJob', kind: 'init', success: true, createdBy: 'ag-edge-box1', worker: 'ag-edge-box1', durationMs: 12 });
    expect(await h.queue.getLogs('admins', res.body.id)).toBe('hi\n');
  });

  it('records a failure with its error', async () => {
    const res = await post({ content: 'exit 3', success: false, logs: '', result: { message: 'exit code 3', name: 'NonZeroExit' }, duration_ms: 5 }).expect(201);
    const job = await h.queue.get('admins', res.body.id);
    expect(job).toMatchObject({ success: false, error: { message: 'exit code 3', name: 'NonZeroExit' } });
  });

  it.each([
    ['no content', { success: true, logs: '', duration_ms: 1 }, /content/],
    ['a success that is not boolean', { content: 'x', success: 'yes', logs: '', duration_ms: 1 }, /success/],
    ['a negative duration', { content: 'x', success: true, logs: '', duration_ms: -1 }, /duration_ms/],
    ['an unknown field', { content: 'x', success: true, logs: '', duration_ms: 1, tag: 'b' }, /tag/],
  ])('refuses %s with 400 and records nothing', async (_n, body, message) => {
    const before = (await h.queue.list('admins', { kinds: ['init'], page: 1, perPage: 100 })).length;
    const res = await post(body).expect(400);
    expect(res.body.error.message).toMatch(message);
    expect((await h.queue.list('admins', { kinds: ['init'], page: 1, perPage: 100 })).length).toBe(before);
  });

  it('refuses a caller without an agent token', async () => {
    await post({ content: 'x', success: true, logs: '', duration_ms: 1 }, { 'X-Worker-Suffix': 'box1' } as never).expect(401);
  });
});
