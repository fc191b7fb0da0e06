import { randomUUID } from 'node:crypto';
import { RevocationList } from './revocation-list.service';
import { agentHeaders, agentToken, bootBroker, BrokerHarness } from '../testing/agent-broker.fixture';

describe('a revoked agent token', () => {
  let h: BrokerHarness;

  beforeAll(async () => {
    h = await bootBroker();
  });
  afterAll(() => h.app.close());

  const mint = async (jti: string) => {
    await h.pool.query(`INSERT INTO agent_token (jti, worker_group, tags, exp) VALUES ($1, 'edge', '{a}', now() + interval '1 day')`, [jti]);
    return agentToken(h.keys, { jti });
  };
  const revoke = (jti: string) => h.pool.query(`UPDATE agent_token SET revoked_at = now() WHERE jti = $1`, [jti]);
  const pullNow = (token: string) => h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token));

  /** Polls until a request is refused, at most ~10 s; returns the refusal. */
  async function refusedEventually(token: string) {
    for (let i = 0; i < 100; i++) {
      const res = await pullNow(token);
      if (res.status !== 204) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the revoked token was still accepted after 10 s');
  }

  it('is refused with 401 once the broker re-reads the revocation list, while others stay accepted', async () => {
    const jti = randomUUID();
    const token = await mint(jti);
    const other = await mint(randomUUID());
    await pullNow(token).expect(204); // accepted and cached
    await revoke(jti);
    const res = await refusedEventually(token);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
    await pullNow(other).expect(204);
    await h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token)).send({}).expect(401);
  });

  it('is refused on its very first request once the list holds it (no per-token cache to wait out)', async () => {
    const jti = randomUUID();
    const token = await mint(jti);
    await revoke(jti);
    // Twice: the first may join a refresh that read the table before the UPDATE.
    await h.app.get(RevocationList).refresh();
    await h.app.get(RevocationList).refresh();
    const res = await pullNow(token).expect(401);
    expect(res.body.error.message).toMatch(/revoked/);
  });

  it('ends a long poll in progress with 401', async () => {
    const jti = randomUUID();
    const token = await mint(jti);
    const waiting = h.http.post('/api/agent_workers/pull_job?wait_s=30').set(agentHeaders(token, 'long')).then((r) => r);
    await revoke(jti);
    const res = await waiting;
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
  });
});
