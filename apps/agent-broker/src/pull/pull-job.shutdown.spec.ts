import { agentHeaders, agentToken, bootBroker, BrokerHarness, eventually } from '../testing/agent-broker.fixture';
import { WaiterRegistry } from './waiter-registry';

describe('pull_job when the broker stops', () => {
  let h: BrokerHarness;
  let closed = false;

  beforeAll(async () => {
    h = await bootBroker();
  });
  afterAll(async () => {
    if (!closed) await h.app.close();
  });

  it('answers a waiting agent 204 and closes its pool', async () => {
    const waiting = h.http.post('/api/agent_workers/pull_job?wait_s=50').set(agentHeaders(agentToken(h.keys, { tags: ['bye'] }))).then((r) => r);
    await eventually(() => (h.app.get(WaiterRegistry).waiting === 1 ? true : undefined));
    const pool = h.pool;
    closed = true;
    await h.app.close();
    expect((await waiting).status).toBe(204);
    expect(pool.totalCount).toBe(0);
  });
});
