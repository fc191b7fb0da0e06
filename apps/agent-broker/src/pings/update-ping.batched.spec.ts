import { WorkerPing } from '@millrace/queue';
import { agentHeaders, agentToken, bootBroker, BrokerHarness, eventually } from '../testing/agent-broker.fixture';
import { PingBatcher } from './ping-batcher.service';
import { PingWriter } from './ping-writer';

const ping = (patch: object = {}) => ({ ping_type: 'main_loop', version: '0.1.0', worker_instance: 'inst-1', ip: '10.0.0.7', memory_bytes: 1024, jobs_executed: 3, ...patch });

describe('update_ping: pings are batched into few statements', () => {
  let h: BrokerHarness;
  let writes: number[];

  beforeAll(async () => {
    // A flush interval longer than the test: only the batch-size trigger and explicit flushes write.
    h = await bootBroker({ PING_FLUSH_MS: '60000', PING_BATCH_MAX: '250' });
    const writer = h.app.get(PingWriter);
    const write = writer.write.bind(writer);
    writes = [];
    jest.spyOn(writer, 'write').mockImplementation((batch: readonly WorkerPing[]) => {
      writes.push(batch.length);
      return write(batch);
    });
  });
  afterAll(() => h.app.close());

  it('writes 1,000 agents\' pings in a handful of statements, and every row lands', async () => {
    const token = agentToken(h.keys, { worker_group: 'fleet', tags: ['t1', 't2'] });
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token, `a${i + j}`)).send(ping()).expect(200)));
    }
    await h.app.get(PingBatcher).flush();
    const { rows } = await h.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM worker_ping WHERE worker_group = 'fleet'`);
    expect(rows[0]!.n).toBe(1000);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(writes.every((n) => n <= 250)).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(8);
  });

  it('stores what the agent reported, under ag-<group>-<suffix>, and its latest ping wins', async () => {
    const token = agentToken(h.keys, { worker_group: 'solo', tags: ['x', 'flow'] });
    const job = '0b9f6f5e-4d5c-4c1e-9a57-2f6f3f1f9a11';
    await h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token, 'box')).send(ping({ jobs_executed: 1 })).expect(200);
    await h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token, 'box')).send(ping({ ping_type: 'job', jobs_executed: 2, current_job_id: job, occupancy: 0.5 })).expect(200);
    expect(h.app.get(PingBatcher).pendingCount).toBe(1);
    await h.app.get(PingBatcher).flush();
    const row = await eventually(async () => (await h.pool.query(`SELECT * FROM worker_ping WHERE worker = 'ag-solo-box'`)).rows[0]);
    expect(row).toMatchObject({ worker_group: 'solo', kind: 'agent', tags: ['x'], jobs_executed: 2, current_job_id: job, version: '0.1.0', ip: '10.0.0.7', occupancy: 0.5, worker_instance: 'inst-1' });
  });

  it.each([
    ['an unknown ping_type', { ping_type: 'hello' }, /ping_type/],
    ['a negative memory_bytes', { memory_bytes: -1 }, /memory_bytes/],
    ['a current_job_id that is not a UUID', { current_job_id: 'job-1' }, /current_job_id/],
    ['an empty version', { version: '' }, /version/],
    ['an occupancy over 1', { occupancy: 2 }, /occupancy/],
    ['a missing worker_instance', { worker_instance: undefined }, /worker_instance/],
  ])('refuses %s with 400 and records nothing', async (_name, patch, field) => {
    const token = agentToken(h.keys, { worker_group: 'badping' });
    const res = await h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token, 'bad')).send(ping(patch)).expect(400);
    expect(res.body.error.message).toMatch(field);
    await h.app.get(PingBatcher).flush();
    const { rowCount } = await h.pool.query(`SELECT 1 FROM worker_ping WHERE worker_group = 'badping'`);
    expect(rowCount).toBe(0);
  });

  it('a pull_job marks its agent alive (last_ping only) at the next flush, with no update_ping', async () => {
    const token = agentToken(h.keys, { worker_group: 'poller', tags: ['quiet-tag'] });
    await h.http.post('/api/agent_workers/update_ping').set(agentHeaders(token, 'p1')).send(ping({ jobs_executed: 4 })).expect(200);
    await h.app.get(PingBatcher).flush();
    await h.pool.query(`UPDATE worker_ping SET last_ping = now() - interval '10 minutes' WHERE worker = 'ag-poller-p1'`);

    await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token, 'p1')).expect(204);
    await h.app.get(PingBatcher).flush();

    const { rows } = await h.pool.query(`SELECT jobs_executed, now() - last_ping < interval '1 minute' AS fresh FROM worker_ping WHERE worker = 'ag-poller-p1'`);
    expect(rows[0]).toEqual({ jobs_executed: 4, fresh: true });
    // An agent that never sent a full ping gets no row from its polls alone.
    await h.http.post('/api/agent_workers/pull_job?wait_s=0').set(agentHeaders(token, 'p2')).expect(204);
    await h.app.get(PingBatcher).flush();
    expect((await h.pool.query(`SELECT 1 FROM worker_ping WHERE worker = 'ag-poller-p2'`)).rowCount).toBe(0);
  });
});
