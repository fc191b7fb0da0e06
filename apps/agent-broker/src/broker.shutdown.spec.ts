import { testDatabaseUrl } from '@millrace/testing';
import { Pool } from 'pg';
import { PingBatcher } from './pings/ping-batcher.service';
import { WaiterRegistry } from './pull/waiter-registry';
import { agentHeaders, agentToken, bootBroker, BrokerHarness, eventually } from './testing/agent-broker.fixture';

describe('agent-broker shutdown', () => {
  let h: BrokerHarness;
  let closed = false;
  const db = new Pool({ connectionString: testDatabaseUrl(), max: 1 });

  beforeAll(async () => {
    // Pings would otherwise wait a minute: only the shutdown flush can write this one.
    h = await bootBroker({ PING_FLUSH_MS: '60000' });
  });
  afterAll(async () => {
    if (!closed) await h.app.close();
    await db.end();
  });

  it('answers a waiting agent 204, writes pending pings, and closes its pool', async () => {
    const token = agentToken(h.keys, { worker_group: 'bye', tags: ['bye'] });
    const waiting = h.http.post('/api/agent_workers/pull_job?wait_s=50').set(agentHeaders(token, 'poller')).then((r) => r);
    await eventually(() => (h.app.get(WaiterRegistry).waiting === 1 ? true : undefined));
    await h.http
      .post('/api/agent_workers/update_ping')
      .set(agentHeaders(token, 'pinger'))
      .send({ ping_type: 'main_loop', version: '1', worker_instance: 'i1', ip: '', memory_bytes: 1, jobs_executed: 0 })
      .expect(200);
    expect(h.app.get(PingBatcher).pendingCount).toBe(1);

    const pool = h.pool;
    closed = true;
    await h.app.close();
    expect((await waiting).status).toBe(204);
    expect(pool.totalCount).toBe(0);
    const { rows } = await db.query<{ worker: string }>(`SELECT worker FROM worker_ping WHERE worker_group = 'bye'`);
    expect(rows).toEqual([{ worker: 'ag-bye-pinger' }]);
  });
});
