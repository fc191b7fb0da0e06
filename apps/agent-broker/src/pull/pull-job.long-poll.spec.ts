import { ClaimRequest } from '@millrace/queue';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { AgentIdentity } from '../auth/agent-identity';
import { agentHeaders, agentToken, bootLongPollBroker, eventually, LongPollHarness, newJob } from '../testing/agent-broker.fixture';
import { JobDispatcher } from './job-dispatcher.service';
import { Waiter, WaitOutcome } from './waiter';
import { WaiterRegistry } from './waiter-registry';

describe('pull_job long poll', () => {
  let h: LongPollHarness;
  let registry: WaiterRegistry;

  beforeAll(async () => {
    h = await bootLongPollBroker();
    registry = h.registry;
  });
  afterAll(() => h.app.close());

  const pull = (token: string, waitS: number, suffix = 'host1') => h.http.post(`/api/agent_workers/pull_job?wait_s=${waitS}`).set(agentHeaders(token, suffix));
  const waitingCount = (n: number) => h.waitingCount(n);

  it('answers 204 after wait_s when no job comes', async () => {
    const res = await pull(agentToken(h.keys, { tags: ['nothing-here'] }), 1);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(registry.waiting).toBe(0);
  });

  it('delivers a job pushed during the wait (woken by NOTIFY)', async () => {
    const waiting = pull(agentToken(h.keys, { tags: ['during'] }), 30).then((r) => r);
    await waitingCount(1);
    const id = await h.queue.push(newJob('during'));
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.job.id).toBe(id);
  });

  it('holds no database connection while agents wait: the pool stays at DB_POOL_MAX', async () => {
    const token = agentToken(h.keys, { tags: ['crowd'] });
    const polls = Array.from({ length: 40 }, (_, i) => pull(token, 30, `crowd${i}`).then((r) => r));
    await waitingCount(40);
    const { rows } = await h.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'millrace-agent-broker'`);
    expect(rows[0]!.n).toBeLessThanOrEqual(h.config.DB_POOL_MAX);
    // Other calls still get connections while 40 polls wait.
    await pull(agentToken(h.keys, { tags: ['other'] }), 0).expect(204);
    const ids = await h.queue.pushMany(Array.from({ length: 40 }, () => newJob('crowd')));
    const replies = await Promise.all(polls);
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(new Set(replies.map((r) => r.body.job.id as string))).toEqual(new Set(ids));
  });

  it('forgets an agent whose request went away; the job goes to the next agent', async () => {
    const token = agentToken(h.keys, { tags: ['leaver'] });
    const { port } = h.app.getHttpServer().address() as AddressInfo;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/agent_workers/pull_job?wait_s=30', headers: agentHeaders(token, 'leaver') });
    req.on('error', () => undefined); // the abort below
    req.end();
    await waitingCount(1);
    req.destroy();
    await eventually(() => (registry.waiting === 0 ? true : undefined));
    const id = await h.queue.push(newJob('leaver'));
    const res = await pull(token, 5, 'stayer').expect(200);
    expect(res.body.job.id).toBe(id);
  });

  it('one claim for many waiting agents: each result is recorded under the agent that got the job', async () => {
    const token = agentToken(h.keys, { tags: ['names'] });
    const polls = Array.from({ length: 5 }, (_, i) => pull(token, 30, `name${i}`).then((r) => r));
    await waitingCount(5);
    await h.queue.pushMany(Array.from({ length: 5 }, () => newJob('names')));
    const replies = await Promise.all(polls);
    // Sent at once: the broker may still be recording the names it handed out.
    await Promise.all(
      replies.map((r, i) =>
        h.http
          .post(`/api/w/acme/agent_workers/send_result/${r.body.job.id}`)
          .set({ ...agentHeaders(token, `name${i}`), 'X-Job-Token': r.body.job_token })
          .send({ success: true, result: null, duration_ms: 1 })
          .expect(200, { repeated: false }),
      ),
    );
    const { rows } = await h.pool.query<{ id: string; worker: string }>('SELECT id, worker FROM job_completed WHERE id = ANY($1::uuid[])', [replies.map((r) => r.body.job.id)]);
    const byId = new Map(rows.map((r) => [r.id, r.worker]));
    expect(replies.map((r) => byId.get(r.body.job.id))).toEqual(replies.map((_, i) => `ag-edge-name${i}`));
  });

  describe('a job claimed for an agent that left during the claim', () => {
    const agent = (suffix: string, tag: string): AgentIdentity => ({ worker: `ag-edge-${suffix}`, workerGroup: 'edge', suffix, tags: [tag], tagsKey: tag, jti: randomUUID() });
    const waiterFor = (a: AgentIdentity) => {
      let resolve!: (o: WaitOutcome) => void;
      const outcome = new Promise<WaitOutcome>((r) => (resolve = r));
      return { waiter: new Waiter(a, resolve), outcome };
    };
    /** The next claim behaves normally, then `leave` runs as if a request closed just then. */
    const leaveDuringNextClaim = (leave: () => void): Promise<string[]> => {
      const real = h.queue.claim.bind(h.queue);
      return new Promise((claimed) => {
        jest.spyOn(h.queue, 'claim').mockImplementationOnce(async (req: ClaimRequest) => {
          const jobs = await real(req);
          leave();
          claimed(jobs.map((j) => j.id));
          return jobs;
        });
      });
    };

    afterEach(() => jest.restoreAllMocks());

    it('is handed to another agent waiting with the same tags, under that agent\'s name', async () => {
      const id = await h.queue.push(newJob('handoff'));
      const first = waiterFor(agent('first', 'handoff'));
      const second = waiterFor(agent('second', 'handoff'));
      void leaveDuringNextClaim(() => {
        first.waiter.markGone();
        first.waiter.settle({ kind: 'no_job' });
      });
      const dispatcher = h.app.get(JobDispatcher);
      dispatcher.enqueue(first.waiter);
      dispatcher.enqueue(second.waiter);
      expect(await first.outcome).toEqual({ kind: 'no_job' });
      const got = await second.outcome;
      expect(got.kind === 'job' && got.job.id).toBe(id);
      // The name is recorded just after the agent is answered.
      const row = await eventually(async () => {
        const { rows } = await h.pool.query<{ worker: string; running: boolean }>(`SELECT worker, running FROM job_queue WHERE id = $1`, [id]);
        return rows[0]?.worker === 'ag-edge-second' ? rows[0] : undefined;
      });
      expect(row).toEqual({ worker: 'ag-edge-second', running: true });
    });

    it('is released to the queue, unstarted, when no other agent waits', async () => {
      const id = await h.queue.push(newJob('release'));
      const only = waiterFor(agent('only', 'release'));
      const claimed = leaveDuringNextClaim(() => only.waiter.markGone());
      h.app.get(JobDispatcher).enqueue(only.waiter);
      expect(await claimed).toEqual([id]);
      const row = await eventually(async () => {
        const { rows } = await h.pool.query<{ running: boolean; claim_id: string | null; restarts: number }>(`SELECT running, claim_id, restarts FROM job_queue WHERE id = $1`, [id]);
        return rows[0]?.running === false ? rows[0] : undefined;
      });
      expect(row).toEqual({ running: false, claim_id: null, restarts: 0 });
      const res = await pull(agentToken(h.keys, { tags: ['release'] }), 0).expect(200);
      expect(res.body.job.id).toBe(id);
    });
  });

  describe('end_poll: a stopping agent ends its own long poll', () => {
    afterEach(() => jest.restoreAllMocks());

    const endPoll = (token: string, suffix: string) => h.http.post('/api/agent_workers/end_poll').set(agentHeaders(token, suffix));

    it("answers that agent's open poll with 204 now; another agent's poll with the same tags keeps waiting and gets the next job", async () => {
      const token = agentToken(h.keys, { tags: ['ending'] });
      const leaving = pull(token, 30, 'leaving').then((r) => r);
      const staying = pull(token, 30, 'staying').then((r) => r);
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
      const waiting = pull(token, 30, 'guarded').then((r) => r);
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
      const waiting = pull(token, 30, 'mid').then((r) => r);
      expect(await ended).toBe(1);
      expect((await waiting).status).toBe(204);
      const row = await eventually(async () => {
        const { rows } = await h.pool.query<{ running: boolean; claim_id: string | null; restarts: number }>('SELECT running, claim_id, restarts FROM job_queue WHERE id = $1', [id]);
        return rows[0]?.running === false ? rows[0] : undefined;
      });
      expect(row).toEqual({ running: false, claim_id: null, restarts: 0 });
    });
  });
});
