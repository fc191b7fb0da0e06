import { agentHeaders, agentToken, bootBroker, BrokerHarness, eventually, newJob } from '../testing/agent-broker.fixture';
import { WaiterRegistry } from './waiter-registry';

describe('pull_job with many concurrent agents', () => {
  let h: BrokerHarness;

  beforeAll(async () => {
    h = await bootBroker({ DB_POOL_MAX: '4' });
  });
  afterAll(() => h.app.close());

  it('delivers each job exactly once, to the agent recorded as its worker', async () => {
    const M = 300;
    const AGENTS = 30;
    const token = agentToken(h.keys, { tags: ['many-1', 'many-2'] });
    const received = new Map<string, string[]>();
    let total = 0;
    const agent = async (suffix: string) => {
      // Bounded: an agent stops once every job is out, or after 200 polls whatever happens.
      for (let i = 0; i < 200 && total < M; i++) {
        const res = await h.http.post('/api/agent_workers/pull_job?wait_s=1').set(agentHeaders(token, suffix));
        if (res.status === 200) {
          total++;
          received.set(res.body.job.id, [...(received.get(res.body.job.id) ?? []), suffix]);
        } else {
          expect(res.status).toBe(204);
        }
      }
    };
    const agents = Array.from({ length: AGENTS }, (_, i) => agent(`s${i}`));
    const pushed: string[] = [];
    for (let b = 0; b < 3; b++) {
      pushed.push(...(await h.queue.pushMany(Array.from({ length: M / 3 }, (_, i) => newJob(i % 2 ? 'many-1' : 'many-2')))));
    }
    await Promise.all(agents);

    expect(total).toBe(M);
    expect([...received.keys()].sort()).toEqual([...pushed].sort());
    expect([...received.values()].filter((s) => s.length !== 1)).toEqual([]);
    const { rows } = await h.pool.query<{ id: string; worker: string; running: boolean }>(`SELECT id, worker, running FROM job_queue WHERE id = ANY($1::uuid[])`, [pushed]);
    expect(rows).toHaveLength(M);
    for (const row of rows) {
      expect(row.running).toBe(true);
      expect(row.worker).toBe(`ag-edge-${received.get(row.id)![0]}`);
    }
  });

  it('claims for all agents waiting on one tag set in a batched query, not one per agent', async () => {
    const N = 20;
    const token = agentToken(h.keys, { tags: ['batch'] });
    const polls = Array.from({ length: N }, (_, i) => h.http.post('/api/agent_workers/pull_job?wait_s=20').set(agentHeaders(token, `b${i}`)).then((r) => r));
    const registry = h.app.get(WaiterRegistry);
    await eventually(() => (registry.waiting === N ? true : undefined));
    const claim = jest.spyOn(h.queue, 'claim');
    const ids = await h.queue.pushMany(Array.from({ length: N }, () => newJob('batch')));
    const replies = await Promise.all(polls);
    expect(new Set(replies.map((r) => r.body.job?.id as string))).toEqual(new Set(ids));
    // One NOTIFY wakes the group: one claim with limit N serves everyone (a fallback poll
    // landing in between may add one more). Per-agent claiming would make N calls.
    expect(claim.mock.calls.length).toBeLessThanOrEqual(2);
    expect(claim.mock.calls[0]?.[0]).toMatchObject({ tags: ['batch'], limit: N, excludeKinds: ['flow', 'dependency'] });
    claim.mockRestore();
  });
});
