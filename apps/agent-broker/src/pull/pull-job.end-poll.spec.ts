import { ClaimRequest } from '@millrace/queue';
import { agentHeaders, agentToken, bootLongPollBroker, eventually, LongPollHarness, newJob } from '../testing/agent-broker.fixture';
import { WaiterRegistry } from './waiter-registry';

describe('end_poll: a stopping agent ends its own long poll', () => {
  let h: LongPollHarness;
  let registry: WaiterRegistry;

  beforeAll(async () => {
    h = await bootLongPollBroker();
    registry = h.registry;
  });
  afterAll(() => h.app.close());
  afterEach(() => jest.restoreAllMocks());

  const pull = (token: string, suffix: string) => h.http.post('/api/agent_workers/pull_job?wait_s=30').set(agentHeaders(token, suffix));
  const endPoll = (token: string, suffix: string) => h.http.post('/api/agent_workers/end_poll').set(agentHeaders(token, suffix));

  it("answers that agent's open poll with 204 now; another agent's poll with the same tags keeps waiting and gets the next job", async () => {
    const token = agentToken(h.keys, { tags: ['ending'] });
    const leaving = pull(token, 'leaving').then((r) => r);
    const staying = pull(token, 'staying').then((r) => r);
    await h.waitingCount(2);
    await endPoll(token, 'leaving').expect(200, { ended: 1 });
    expect((await leaving).status).toBe(204);
    expect(registry.waiting).toBe(1);
    const id = await h.queue.push(newJob('ending'));
    const got = await staying;
    expect(got.status).toBe(200);
    expect(got.body.job.id).toBe(id);
  });

  it('ends nothing when the agent has no open poll', async () => {
    await endPoll(agentToken(h.keys, { tags: ['idle-none'] }), 'nobody').expect(200, { ended: 0 });
  });

  it('refuses a request without a valid agent token (401), ending nothing', async () => {
    const token = agentToken(h.keys, { tags: ['guarded'] });
    const waiting = pull(token, 'guarded').then((r) => r);
    await h.waitingCount(1);
    await h.http.post('/api/agent_workers/end_poll').set({ 'X-Worker-Suffix': 'guarded' }).expect(401);
    await h.http.post('/api/agent_workers/end_poll').set(agentHeaders(`${token}x`, 'guarded')).expect(401);
    expect(registry.waiting).toBe(1);
    await endPoll(token, 'guarded').expect(200, { ended: 1 });
    expect((await waiting).status).toBe(204);
  });

  it('a poll ended while a claim for it runs does not take the job: it goes back to the queue unstarted, restarts unchanged', async () => {
    const token = agentToken(h.keys, { tags: ['mid-claim'] });
    const id = await h.queue.push(newJob('mid-claim'));
    const real = h.queue.claim.bind(h.queue);
    const ended = new Promise<number>((resolve, reject) => {
      jest.spyOn(h.queue, 'claim').mockImplementationOnce(async (req: ClaimRequest) => {
        const jobs = await real(req);
        // end_poll arrives while the claim's reply is on its way back from the database.
        endPoll(token, 'mid').then((r) => resolve(r.body.ended as number), reject);
        await eventually(() => (registry.waiting === 0 ? true : undefined));
        return jobs;
      });
    });
    const waiting = pull(token, 'mid').then((r) => r);
    expect(await ended).toBe(1);
    expect((await waiting).status).toBe(204);
    const row = await eventually(async () => {
      const { rows } = await h.pool.query<{ running: boolean; claim_id: string | null; restarts: number }>('SELECT running, claim_id, restarts FROM job_queue WHERE id = $1', [id]);
      return rows[0]?.running === false ? rows[0] : undefined;
    });
    expect(row).toEqual({ running: false, claim_id: null, restarts: 0 });
  });
});
