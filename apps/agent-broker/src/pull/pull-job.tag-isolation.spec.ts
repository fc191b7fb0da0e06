import { agentHeaders, agentToken, bootBroker, BrokerHarness, newJob } from '../testing/agent-broker.fixture';

describe('pull_job hands an agent only jobs of its tags, never flow or dependency jobs', () => {
  let h: BrokerHarness;

  beforeAll(async () => {
    h = await bootBroker();
  });
  afterAll(() => h.app.close());

  it.each([
    ['immediately (wait_s=0)', 0],
    ['through the long-poll dispatcher', 1],
  ])('%s', async (_name, waitS) => {
    const a = `a${waitS}`;
    // Queued first, and at higher priority, so a leak would be served before the allowed job.
    await h.queue.pushMany([
      newJob(`b${waitS}`, { priority: 10 }),
      newJob(a, { kind: 'flow', language: null, content: null, priority: 10 }),
      newJob(a, { kind: 'dependency', priority: 10 }),
      newJob(`flow-${a}`, { priority: 10 }),
      newJob('flow', { priority: 10 }),
    ]);
    const allowed = await h.queue.push(newJob(a));
    // The token also (wrongly) lists flow tags: the broker drops them again.
    const token = agentToken(h.keys, { tags: [a, 'flow', `flow-${a}`] });

    const first = await h.http.post(`/api/agent_workers/pull_job?wait_s=${waitS}`).set(agentHeaders(token)).expect(200);
    expect(first.body.job).toMatchObject({ id: allowed, tag: a, job_kind: 'script' });
    await h.http.post(`/api/agent_workers/pull_job?wait_s=${waitS}`).set(agentHeaders(token)).expect(204);

    // Every forbidden job is still queued, untouched.
    const { rows } = await h.pool.query<{ running: boolean }>(`SELECT running FROM job_queue WHERE tag IN ($1, $2, $3) AND id <> $4`, [`b${waitS}`, a, `flow-${a}`, allowed]);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => !r.running)).toBe(true);
    const flow = await h.pool.query(`SELECT 1 FROM job_queue WHERE tag = 'flow' AND running`);
    expect(flow.rowCount).toBe(0);
  });

  it('replies with the job fields of the contract and a job token', async () => {
    const id = await h.queue.push(newJob('fields', { args: { x: 1 }, timeoutS: 60, lock: 'lockfile', flowStepId: null }));
    const res = await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(agentToken(h.keys, { tags: ['fields'] }))).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['job', 'job_token']);
    expect(res.body.job).toEqual({
      id,
      workspace_id: 'acme',
      job_kind: 'script',
      language: 'bash',
      content: 'echo hi',
      lock: 'lockfile',
      args: { x: 1 },
      tag: 'fields',
      timeout_s: 60,
      parent_job: null,
      flow_step_id: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.job_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { rows } = await h.pool.query<{ worker: string }>(`SELECT worker FROM job_queue WHERE id = $1`, [id]);
    expect(rows[0]?.worker).toBe('ag-edge-host1');
  });
});
