import { testDatabaseUrl } from '@millrace/testing';
import { randomUUID } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { bootBroker, BrokerHarness } from '../testing/agent-broker.fixture';
import { RevocationList } from './revocation-list.service';

describe('the revocation list while the broker pool is exhausted', () => {
  let h: BrokerHarness;
  const held: PoolClient[] = [];

  beforeAll(async () => {
    h = await bootBroker({ DB_POOL_MAX: '2' });
  });
  afterAll(async () => {
    held.forEach((c) => c.release());
    await h.app.close();
  });

  it('still refreshes: revocations apply even when claims and results hold every pooled connection', async () => {
    const jti = randomUUID();
    const admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      await admin.query(`INSERT INTO agent_token (jti, worker_group, tags, exp, revoked_at) VALUES ($1, 'edge', '{a}', now() + interval '1 day', now())`, [jti]);
    } finally {
      await admin.end();
    }
    // Every connection of the app's pool is taken, as under a flood of agent calls.
    held.push(await h.pool.connect(), await h.pool.connect());
    const list = h.app.get(RevocationList);
    const refreshed = list.refresh().then(() => 'refreshed' as const);
    const stuck = new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 10_000).unref());
    expect(await Promise.race([refreshed, stuck])).toBe('refreshed');
    expect(list.isRevoked(jti)).toBe(true);
    expect(list.isFresh()).toBe(true);
  });
});
