import { agentHeaders, agentToken, bootBroker, BrokerHarness } from '../testing/agent-broker.fixture';
import { AgentTokenRepository } from './agent-token.repository';

describe('when the revoked-token list cannot be read', () => {
  let h: BrokerHarness;

  beforeAll(async () => {
    h = await bootBroker({ REVOCATION_REFRESH_MS: '200', REVOCATION_MAX_STALE_S: '2' });
  });
  afterAll(() => h.app.close());

  const statusUntil = async (token: string, wanted: number) => {
    let status = 0;
    for (let i = 0; i < 100 && status !== wanted; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      status = (await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token))).status;
    }
    return status;
  };

  it('refuses agents with 503 once the list is stale (a revoked token could pass), and serves them again after', async () => {
    const token = agentToken(h.keys);
    expect(await statusUntil(token, 204)).toBe(204);
    const failing = jest.spyOn(h.app.get(AgentTokenRepository), 'listRevoked').mockRejectedValue(new Error('database unreachable'));
    expect(await statusUntil(token, 503)).toBe(503);
    const res = await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token));
    expect(res.body.error.message).toMatch(/revocation/);
    failing.mockRestore();
    expect(await statusUntil(token, 204)).toBe(204);
  });
});
