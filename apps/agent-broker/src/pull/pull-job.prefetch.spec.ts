import type { PgJobQueue } from '@millrace/queue';
import { agentHeaders, agentToken, bootLongPollBroker, eventually, LongPollHarness, newJob } from '../testing/agent-broker.fixture';

describe('pull_job prefetch and release_job: a busy agent asks ahead, an idle one goes first', () => {
  let h: LongPollHarness;

  beforeAll(async () => {
    h = await bootLongPollBroker();
  });
  afterAll(() => h.app.close());

  const pull = (token: string, suffix: string, query: string) => h.http.post(`/api/agent_workers/pull_job?${query}`).set(agentHeaders(token, suffix));
  const waitingCount = (n: number) => h.waitingCount(n);

  it('gives a single job to the idle agent even when the prefetching one has waited longer', async () => {
    const token = agentToken(h.keys, { tags: ['pf-one'] });
    const busy = pull(token, 'busy', 'wait_s=3&prefetch=true').then((r) => r);
    await waitingCount(1);
    const idle = pull(token, 'idle', 'wait_s=30').then((r) => r);
    await waitingCount(2);
    const id = await h.queue.push(newJob('pf-one'));
    const idleReply = await idle;
    expect(idleReply.status).toBe(200);
    expect(idleReply.body.job.id).toBe(id);
    expect((await busy).status).toBe(204);
  });

  it('hands leftover jobs to prefetching agents once every idle agent has one', async () => {
    const token = agentToken(h.keys, { tags: ['pf-two'] });
    const busy = pull(token, 'busy', 'wait_s=30&prefetch=1').then((r) => r);
    const idle = pull(token, 'idle', 'wait_s=30').then((r) => r);
    await waitingCount(2);
    const ids = await h.queue.pushMany([newJob('pf-two'), newJob('pf-two')]);
    const [b, i] = await Promise.all([busy, idle]);
    expect([b.status, i.status]).toEqual([200, 200]);
    expect(new Set([b.body.job.id, i.body.job.id])).toEqual(new Set(ids));
  });

  it('an immediate prefetch (wait_s=0) finds nothing while an idle agent with the same tags waits', async () => {
    const token = agentToken(h.keys, { tags: ['pf-now'] });
    const idle = pull(token, 'idle', 'wait_s=2').then((r) => r);
    await waitingCount(1);
    await pull(token, 'busy', 'wait_s=0&prefetch=true').expect(204);
    expect((await idle).status).toBe(204);
    // With nobody idle, the same prefetch claims.
    const id = await h.queue.push(newJob('pf-now'));
    const res = await pull(token, 'busy', 'wait_s=0&prefetch=true').expect(200);
    expect(res.body.job.id).toBe(id);
  });

  it.each([['yes'], ['2'], ['']])('refuses prefetch=%p with 400 naming the parameter', async (value) => {
    const res = await pull(agentToken(h.keys, { tags: ['pf-bad'] }), 'x', `wait_s=0&prefetch=${value}`).expect(400);
    expect(res.body.error.message).toMatch(/prefetch/);
  });

  /**
   * The agent leaves while the broker claims for it: the queue's `method`, once, aborts the
   * agent's `request` first, then runs as usual. `claimed` is what it returned, once it has.
   */
  async function agentLeavesDuring<M extends 'claim' | 'completeAndClaim'>(method: M, request: { abort(): void; then: Promise<unknown>['then'] }, check: (claimed: Awaited<ReturnType<PgJobQueue[M]>>) => Promise<unknown>): Promise<void> {
    const real = (h.queue[method] as (...a: unknown[]) => Promise<Awaited<ReturnType<PgJobQueue[M]>>>).bind(h.queue);
    let claimed: Awaited<ReturnType<PgJobQueue[M]>> | undefined;
    const spy = jest.spyOn(h.queue, method).mockImplementationOnce((async (...args: unknown[]) => {
      request.abort();
      await new Promise((resolve) => setTimeout(resolve, 200));
      claimed = await real(...args);
      return claimed;
    }) as never);
    try {
      await request.then(
        () => undefined,
        () => undefined,
      );
      await eventually(async () => (claimed === undefined ? undefined : true), `${method} to run`);
      await check(claimed!);
    } finally {
      spy.mockRestore();
    }
  }

  const queuedRow = async (id: string) => (await h.pool.query(`SELECT running, claim_id, restarts FROM job_queue WHERE id = $1`, [id])).rows[0];

  it('an immediate pull (wait_s=0) whose agent left while the job was claimed gives the job back at once', async () => {
    const token = agentToken(h.keys, { tags: ['pf-left'] });
    const id = await h.queue.push(newJob('pf-left'));
    await agentLeavesDuring('claim', pull(token, 'w', 'wait_s=0'), async (jobs) => {
      expect(jobs.map((j) => j.id)).toEqual([id]);
      const row = await eventually(async () => ((await queuedRow(id))?.running === false ? queuedRow(id) : undefined), 'the job to be given back');
      expect(row).toEqual({ running: false, claim_id: null, restarts: 0 });
    });
  });

  it('release_job gives a claimed job back: queued again for anyone, restarts unchanged, the old claim dead', async () => {
    const token = agentToken(h.keys, { tags: ['pf-rel'] });
    const id = await h.queue.push(newJob('pf-rel'));
    const first = await pull(token, 'first', 'wait_s=0&prefetch=true').expect(200);
    const jobHeaders = { ...agentHeaders(token, 'first'), 'X-Job-Token': first.body.job_token };

    await h.http.post(`/api/w/acme/agent_workers/release_job/${id}`).set(jobHeaders).send({}).expect(200, { released: true });
    await h.http.post(`/api/w/acme/agent_workers/release_job/${id}`).set(jobHeaders).send({}).expect(200, { released: false });
    // The old claim can no longer report.
    await h.http.post(`/api/w/acme/agent_workers/send_result/${id}`).set(jobHeaders).send({ success: true, result: null, duration_ms: 1 }).expect(409);

    const second = await pull(token, 'second', 'wait_s=0').expect(200);
    expect(second.body.job.id).toBe(id);
    const { rows } = await h.pool.query(`SELECT worker, restarts FROM job_queue WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ worker: 'ag-edge-second', restarts: 0 });
  });

  it('release_job refuses another agent\'s job token', async () => {
    const token = agentToken(h.keys, { tags: ['pf-own'] });
    const id = await h.queue.push(newJob('pf-own'));
    const mine = await pull(token, 'mine', 'wait_s=0').expect(200);
    await h.http
      .post(`/api/w/acme/agent_workers/release_job/${id}`)
      .set({ ...agentHeaders(token, 'thief'), 'X-Job-Token': mine.body.job_token })
      .send({})
      .expect(403);
    const { rows } = await h.pool.query(`SELECT worker, running FROM job_queue WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ worker: 'ag-edge-mine', running: true });
  });

  describe('send_result?next=true: the result, and the busy agent\'s next job in its reply', () => {
    const sendResult = (token: string, suffix: string, id: string, jobToken: string, query: string) =>
      h.http.post(`/api/w/acme/agent_workers/send_result/${id}?${query}`).set({ ...agentHeaders(token, suffix), 'X-Job-Token': jobToken }).send({ success: true, result: { id }, duration_ms: 2 });

    it('stores the result, then claims the next job as a prefetch would, whose job token works; a repeated result claims only what is left', async () => {
      const token = agentToken(h.keys, { tags: ['nx-one'] });
      const [a, b, c] = await h.queue.pushMany([newJob('nx-one'), newJob('nx-one'), newJob('nx-one')]);
      const first = await pull(token, 'w', 'wait_s=0').expect(200);
      expect(first.body.job.id).toBe(a);

      const reply = await sendResult(token, 'w', a!, first.body.job_token, 'next=true').expect(200);
      expect(reply.body).toMatchObject({ repeated: false, next: { job: { id: b }, job_token: expect.any(String) } });
      expect(await h.queue.get('acme', a!)).toMatchObject({ type: 'CompletedJob', success: true, result: { id: a } });
      const { rows } = await h.pool.query(`SELECT worker, running FROM job_queue WHERE id = $1`, [b]);
      expect(rows[0]).toEqual({ worker: 'ag-edge-w', running: true });

      // The job token that came with it completes that job, and can ask for the next one too.
      const second = await sendResult(token, 'w', b!, reply.body.next.job_token, 'next=1').expect(200);
      expect(second.body).toMatchObject({ repeated: false, next: { job: { id: c } } });
      // A repeated result (a retry whose reply was lost) is 200 and claims only what is left: nothing.
      const again = await sendResult(token, 'w', b!, reply.body.next.job_token, 'next=true').expect(200);
      expect(again.body).toEqual({ repeated: true, next: null });
    });

    it('answers next: null with nothing queued, and without ?next the reply has no next at all', async () => {
      const token = agentToken(h.keys, { tags: ['nx-none'] });
      const id = await h.queue.push(newJob('nx-none'));
      const got = await pull(token, 'w', 'wait_s=0').expect(200);
      await sendResult(token, 'w', id, got.body.job_token, 'next=true').expect(200, { repeated: false, next: null });
      const other = await h.queue.push(newJob('nx-none'));
      const got2 = await pull(token, 'w', 'wait_s=0').expect(200);
      await sendResult(token, 'w', other, got2.body.job_token, 'next=false').expect(200, { repeated: false });
    });

    it('gives the next job to an idle agent with the same tags that is waiting, not to the busy one', async () => {
      const token = agentToken(h.keys, { tags: ['nx-idle'] });
      const id = await h.queue.push(newJob('nx-idle'));
      const got = await pull(token, 'busy', 'wait_s=0').expect(200);
      const idle = pull(token, 'idle', 'wait_s=5').then((r) => r);
      await waitingCount(1);
      const reply = await sendResult(token, 'busy', id, got.body.job_token, 'next=true').expect(200);
      expect(reply.body).toEqual({ repeated: false, next: null });
      const queued = await h.queue.push(newJob('nx-idle'));
      expect((await idle).body.job.id).toBe(queued);
    });

    it('stores the result and the next job in one statement; if the database fails it, stores the result alone and answers next: null', async () => {
      const token = agentToken(h.keys, { tags: ['nx-fail'] });
      const [a, b] = await h.queue.pushMany([newJob('nx-fail'), newJob('nx-fail')]);
      const got = await pull(token, 'w', 'wait_s=0').expect(200);
      expect(got.body.job.id).toBe(a);
      const combined = jest.spyOn(h.queue, 'completeAndClaim').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      try {
        const reply = await sendResult(token, 'w', a!, got.body.job_token, 'next=true').expect(200);
        expect(reply.body).toEqual({ repeated: false, next: null });
        expect(combined).toHaveBeenCalledTimes(1);
      } finally {
        combined.mockRestore();
      }
      expect(await h.queue.get('acme', a!)).toMatchObject({ type: 'CompletedJob', success: true, result: { id: a } });
      const { rows } = await h.pool.query(`SELECT running FROM job_queue WHERE id = $1`, [b]);
      expect(rows[0]).toEqual({ running: false });
    });

    it('refuses a stale job token with next=true as without it, and claims nothing', async () => {
      const token = agentToken(h.keys, { tags: ['nx-stale'] });
      const [a, b] = await h.queue.pushMany([newJob('nx-stale'), newJob('nx-stale')]);
      const got = await pull(token, 'w', 'wait_s=0').expect(200);
      expect(got.body.job.id).toBe(a);
      // The monitor requeued the job meanwhile: this claim is dead.
      const held = await h.pool.query(`SELECT claim_id FROM job_queue WHERE id = $1`, [a]);
      expect(await h.queue.release([{ jobId: a!, claimId: held.rows[0].claim_id }])).toBe(1);
      const res = await sendResult(token, 'w', a!, got.body.job_token, 'next=true').expect(409);
      expect(res.body.error.message).toMatch(/claim/);
      const { rows } = await h.pool.query(`SELECT count(*) FILTER (WHERE NOT running)::int AS queued FROM job_queue WHERE id = ANY($1::uuid[])`, [[a, b]]);
      expect(rows[0]).toEqual({ queued: 2 });
    });

    it('gives the next job back at once when the agent left while it was claimed; the result stays stored', async () => {
      const token = agentToken(h.keys, { tags: ['nx-left'] });
      const [a, b] = await h.queue.pushMany([newJob('nx-left'), newJob('nx-left')]);
      const got = await pull(token, 'w', 'wait_s=0').expect(200);
      expect(got.body.job.id).toBe(a);
      // The agent's connection drops while the broker stores the result and claims the next job.
      await agentLeavesDuring('completeAndClaim', sendResult(token, 'w', a!, got.body.job_token, 'next=true'), async (reply) => {
        expect(reply.next?.id).toBe(b);
        const row = await eventually(async () => ((await queuedRow(b!))?.running === false ? queuedRow(b!) : undefined), 'the next job to be given back');
        expect(row).toEqual({ running: false, claim_id: null, restarts: 0 });
      });
      expect(await h.queue.get('acme', a!)).toMatchObject({ type: 'CompletedJob', success: true, result: { id: a } });
    });

    it.each([['yes'], ['2']])('refuses next=%p with 400 naming the parameter, and stores nothing', async (value) => {
      const token = agentToken(h.keys, { tags: ['nx-bad'] });
      const id = await h.queue.push(newJob('nx-bad'));
      const got = await pull(token, 'w', 'wait_s=0').expect(200);
      const res = await sendResult(token, 'w', id, got.body.job_token, `next=${value}`).expect(400);
      expect(res.body.error.message).toMatch(/next/);
      const { rows } = await h.pool.query(`SELECT running FROM job_queue WHERE id = $1`, [id]);
      expect(rows[0]).toEqual({ running: true });
    });
  });
});
