import { createHmac, randomUUID } from 'node:crypto';
import { agentHeaders, agentToken, bootBroker, BrokerHarness, newKeyPair } from '../testing/agent-broker.fixture';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('agent-broker refuses every token but a valid agent token', () => {
  let h: BrokerHarness;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ worker_group: 'edge', tags: ['a'], jti: randomUUID(), aud: 'agent', iat: now(), exp: now() + 600 });
  const pull = (authorization: string | undefined, suffix: string | null = 'host1') => {
    const r = h.http.post('/api/agent_workers/pull_job?wait_s=0');
    if (authorization !== undefined) r.set('Authorization', authorization);
    if (suffix !== null) r.set('X-Worker-Suffix', suffix);
    return r;
  };

  beforeAll(async () => {
    h = await bootBroker();
  });
  afterAll(() => h.app.close());

  it('accepts a token signed by the gateway key (204: nothing queued)', async () => {
    await pull(`Bearer ${agentToken(h.keys)}`).expect(204);
  });

  it.each([
    ['no Authorization header', () => undefined],
    ['a Basic header', () => 'Basic YWxpY2U6cHc='],
    ['garbage', () => 'Bearer jwt_agent_not-a-jwt'],
    ['a token without the jwt_agent_ prefix', () => `Bearer ${agentToken(h.keys).slice('jwt_agent_'.length)}`],
    ['alg none', () => `Bearer jwt_agent_${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS256 signed with the public key as secret',
      () => {
        const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
        return `Bearer jwt_agent_${head}.${createHmac('sha256', h.keys.publicPem).update(head).digest('base64url')}`;
      },
    ],
    ['another key', () => `Bearer ${agentToken(newKeyPair())}`],
    ['an expired token', () => `Bearer ${agentToken(h.keys, { iat: now() - 120, exp: now() - 60 }, { expiresIn: undefined })}`],
    ['another audience', () => `Bearer ${agentToken(h.keys, {}, { audience: 'millrace-internal' })}`],
    ['claims that break the contract (bad worker group)', () => `Bearer ${agentToken(h.keys, { worker_group: 'Bad Group' })}`],
    ['a token without jti', () => `Bearer ${agentToken(h.keys, { jti: undefined })}`],
    [
      'claims altered after signing',
      () => {
        const [head, , sig] = agentToken(h.keys).slice('jwt_agent_'.length).split('.');
        return `Bearer jwt_agent_${head}.${b64({ ...claims(), tags: ['a', 'b'] })}.${sig}`;
      },
    ],
  ])('refuses %s with 401', async (_name, authorization) => {
    const res = await pull(authorization()).expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.body.error.message).toMatch(/agent token/);
  });

  it('does not let a cached token outlive its exp', async () => {
    const token = agentToken(h.keys, {}, { expiresIn: 2 });
    await pull(`Bearer ${token}`).expect(204);
    // Bounded loop instead of a sleep of a guessed length: the cached claims must expire with the token.
    let status = 204;
    for (let i = 0; i < 50 && status !== 401; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await pull(`Bearer ${token}`)).status;
    }
    expect(status).toBe(401);
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['with a slash', 'a/b'],
    ['too long', 'x'.repeat(65)],
  ])('refuses an X-Worker-Suffix that is %s with 400', async (_name, suffix) => {
    const res = await pull(`Bearer ${agentToken(h.keys)}`, suffix).expect(400);
    expect(res.body.error.message).toMatch(/X-Worker-Suffix/);
  });

  it('refuses a token whose only tags are for normal workers with 403 on pull_job', async () => {
    const res = await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(agentToken(h.keys, { tags: ['flow', 'dependency-acme'] }))).expect(403);
    expect(res.body.error.message).toMatch(/no tags an agent may serve/);
  });

  it.each([
    ['over 55', '56'],
    ['negative', '-1'],
    ['not a number', 'soon'],
  ])('refuses a wait_s %s with 400 naming it', async (_name, value) => {
    const res = await h.http.post(`/api/agent_workers/pull_job?wait_s=${value}`).set(agentHeaders(agentToken(h.keys))).expect(400);
    expect(res.body.error.message).toMatch(/wait_s/);
  });
});
