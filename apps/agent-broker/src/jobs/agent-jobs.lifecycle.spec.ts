import { JwtService } from '@nestjs/jwt';
import { QueueMonitor } from '@millrace/queue';
import { agentHeaders, agentToken, bootBroker, BrokerHarness, JOB_TOKEN_SECRET, newJob } from '../testing/agent-broker.fixture';

interface Pulled {
  id: string;
  jobToken: string;
  token: string;
  suffix: string;
}

describe('job routes: heartbeat, logs and result over HTTP', () => {
  let h: BrokerHarness;

  beforeAll(async () => {
    h = await bootBroker();
  });
  afterAll(() => h.app.close());

  async function pullOne(tag: string, suffix = 'host1', token = agentToken(h.keys, { tags: [tag] })): Promise<Pulled> {
    const res = await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token, suffix)).expect(200);
    return { id: res.body.job.id, jobToken: res.body.job_token, token, suffix };
  }
  const headers = (p: Pulled, jobToken = p.jobToken) => ({ ...agentHeaders(p.token, p.suffix), 'X-Job-Token': jobToken });
  const status = (p: Pulled, jobToken?: string) => h.http.post(`/api/agent_workers/ping_job_status/${p.id}`).set(headers(p, jobToken)).send({});
  const logs = (p: Pulled, offset: number, text: string, ws = 'acme') => h.http.post(`/api/w/${ws}/agent_workers/push_logs/${p.id}`).set(headers(p)).send({ offset, logs: text });
  const result = (p: Pulled, body: object = { success: true, result: { ok: 1 }, duration_ms: 12 }, ws = 'acme') =>
    h.http.post(`/api/w/${ws}/agent_workers/send_result/${p.id}`).set(headers(p)).send(body);

  it('runs a job from pull to result: heartbeat, appended logs, completion, repeated completion', async () => {
    const id = await h.queue.push(newJob('life'));
    const p = await pullOne('life');
    expect(p.id).toBe(id);

    await status(p).expect(200, { already_completed: false });
    // The body is optional: an agent may heartbeat with no body at all.
    await h.http.post(`/api/agent_workers/ping_job_status/${p.id}`).set(headers(p)).expect(200, { already_completed: false });
    await logs(p, 0, 'héllo ').expect(200, { offset: 7 }); // offsets count UTF-8 bytes
    await logs(p, 0, 'héllo ').expect(200, { offset: 7 }); // a repeat is ignored
    await logs(p, 7, 'world\n').expect(200, { offset: 13 });
    const gap = await logs(p, 100, 'lost?').expect(409);
    expect(gap.body).toEqual({ error: { code: 'log_offset_gap', message: expect.stringMatching(/offset 100/), offset: 13 } });

    await result(p).expect(200, { repeated: false });
    await result(p).expect(200, { repeated: true });
    await status(p).expect(200, { already_completed: true });
    expect(await h.queue.getLogs('acme', id)).toBe('héllo world\n');
    const view = await h.queue.get('acme', id);
    expect(view).toMatchObject({ type: 'CompletedJob', success: true, result: { ok: 1 }, worker: 'ag-edge-host1', durationMs: 12 });
  });

  it('records a failure with its error and the cancel that caused it', async () => {
    const id = await h.queue.push(newJob('fail'));
    const p = await pullOne('fail');
    await h.queue.cancel('acme', id, { by: 'bob@example.com', reason: 'enough' });
    await status(p).expect(200, { canceled_by: 'bob@example.com', canceled_reason: 'enough', already_completed: false });
    await result(p, { success: false, result: { name: 'Error', message: 'killed' }, duration_ms: 5, canceled_by: 'bob@example.com' }).expect(200, { repeated: false });
    expect(await h.queue.get('acme', id)).toMatchObject({ success: false, canceled: true, canceledBy: 'bob@example.com', error: { name: 'Error', message: 'killed' } });
  });

  describe('the job token', () => {
    let p: Pulled;
    let other: Pulled;

    beforeAll(async () => {
      await h.queue.pushMany([newJob('tok'), newJob('tok')]);
      const token = agentToken(h.keys, { tags: ['tok'] });
      p = await pullOne('tok', 'host1', token);
      other = await pullOne('tok', 'host2', token);
    });

    it('is required (401)', async () => {
      const res = await h.http.post(`/api/agent_workers/ping_job_status/${p.id}`).set(agentHeaders(p.token, p.suffix)).send({}).expect(401);
      expect(res.body.error.message).toMatch(/X-Job-Token/);
    });

    it.each([
      ['garbage', () => 'nope'],
      ['signed with another secret', () => new JwtService().sign({ sub: p.id, cid: p.id, wkr: 'ag-edge-host1', ws: 'acme' }, { secret: 'x'.repeat(40), audience: 'millrace-job', expiresIn: 60 })],
      ['expired', () => new JwtService().sign({ sub: p.id, cid: p.id, wkr: 'ag-edge-host1', ws: 'acme', exp: Math.floor(Date.now() / 1000) - 10 }, { secret: JOB_TOKEN_SECRET, audience: 'millrace-job' })],
      ['an agent token', () => p.token],
    ])('is refused when %s (401)', async (_name, jobToken) => {
      const res = await status(p, jobToken()).expect(401);
      expect(res.body.error.message).toMatch(/job token refused/);
    });

    it('of another job is refused (403), even held by the same agent token', async () => {
      const res = await status(p, other.jobToken).expect(403);
      expect(res.body.error.message).toMatch(/not for job/);
    });

    it('used by another worker (another suffix) is refused (403)', async () => {
      await h.http.post(`/api/agent_workers/ping_job_status/${p.id}`).set({ ...agentHeaders(p.token, 'host2'), 'X-Job-Token': p.jobToken }).send({}).expect(403);
    });

    it('does not reach a job through another workspace (404)', async () => {
      await logs(p, 0, 'x', 'other-ws').expect(404);
      await result(p, undefined, 'other-ws').expect(404);
    });

    it('still needs a valid agent token (401)', async () => {
      await h.http.post(`/api/agent_workers/ping_job_status/${p.id}`).set({ 'X-Worker-Suffix': p.suffix, 'X-Job-Token': p.jobToken }).send({}).expect(401);
    });
  });

  describe('bad input', () => {
    let p: Pulled;
    beforeAll(async () => {
      await h.queue.push(newJob('bad'));
      p = await pullOne('bad');
    });

    it.each([
      ['a negative offset', { offset: -1, logs: 'x' }, /offset/],
      ['logs that are not text', { offset: 0, logs: 42 }, /logs/],
      ['an unknown field', { offset: 0, logs: 'x', level: 'info' }, /level/],
    ])('push_logs refuses %s with 400', async (_name, body, field) => {
      const res = await h.http.post(`/api/w/acme/agent_workers/push_logs/${p.id}`).set(headers(p)).send(body).expect(400);
      expect(res.body.error.message).toMatch(field);
    });

    it('push_logs refuses a chunk over 1 MB with 413', async () => {
      const res = await logs(p, 0, 'x'.repeat(1_048_577)).expect(413);
      expect(res.body.error.message).toMatch(/at most 1048576 bytes/);
    });

    it.each([
      ['no success', { result: 1, duration_ms: 1 }, /success/],
      ['a negative duration', { success: true, result: 1, duration_ms: -5 }, /duration_ms/],
      ['a non-numeric mem_peak', { success: true, result: 1, duration_ms: 1, mem_peak: 'lots' }, /mem_peak/],
    ])('send_result refuses %s with 400', async (_name, body, field) => {
      const res = await result(p, body).expect(400);
      expect(res.body.error.message).toMatch(field);
    });

    it('send_result refuses a body over 10 MB with 413', async () => {
      await result(p, { success: true, result: 'x'.repeat(10_500_000), duration_ms: 1 }).expect(413);
    });

    it('refuses a job id that is not a UUID with 400', async () => {
      const res = await h.http.post('/api/agent_workers/ping_job_status/not-a-uuid').set(headers(p)).send({}).expect(400);
      expect(res.body.error.message).toMatch(/UUID/);
    });

    it('left the job untouched', async () => {
      expect(await h.queue.getLogs('acme', p.id)).toBe('');
      await status(p).expect(200, { already_completed: false });
    });
  });

  it('answers 409 to the old claim once the job was requeued and claimed again', async () => {
    await h.queue.push(newJob('zombie'));
    const old = await pullOne('zombie', 'lost-host');
    await logs(old, 0, 'first attempt\n').expect(200);
    // The monitor, an hour from now, finds every running job without a heartbeat a zombie.
    const monitor = new QueueMonitor(h.pool, h.queue, { zombieTimeoutS: 60, restartLimit: 3, retentionDays: 30 });
    const report = await monitor.runOnce(new Date(Date.now() + 3_600_000));
    expect(report.requeued).toContain(old.id);

    for (const res of [await status(old), await logs(old, 14, 'more'), await result(old)]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('stale_claim');
    }
    const again = await pullOne('zombie', 'new-host');
    expect(again.id).toBe(old.id);
    await logs(again, 0, 'second attempt\n').expect(200, { offset: 15 });
    await result(old).expect(409);
    await result(again).expect(200, { repeated: false });
    expect(await h.queue.get('acme', old.id)).toMatchObject({ type: 'CompletedJob', worker: 'ag-edge-new-host' });
  });
});
