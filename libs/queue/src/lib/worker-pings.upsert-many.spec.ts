import type { Pool } from 'pg';
import { PgWorkerPings } from './pg-worker-pings.repository';
import { QueueErrorCode } from './queue.error';
import type { WorkerPing } from './worker-ping.types';
import { expectQueueError, testPool } from './queue.test-util';

function agentPing(i: number, overrides: Partial<WorkerPing> = {}): WorkerPing {
  return {
    worker: `ag-edge-${String(i).padStart(4, '0')}`,
    workerInstance: `inst-${i}`,
    workerGroup: 'edge',
    kind: 'agent',
    tags: ['site-a', `shard-${i % 4}`],
    currentJobId: null,
    jobsExecuted: 0,
    memoryBytes: 50_000_000 + i,
    version: '0.1.0',
    ip: `10.0.${Math.floor(i / 256)}.${i % 256}`,
    occupancy: 0.25,
    ...overrides,
  };
}

describe('worker pings', () => {
  let pool: Pool;
  let pings: PgWorkerPings;

  beforeAll(() => {
    pool = testPool();
    pings = new PgWorkerPings(pool);
  });
  afterAll(() => pool.end());

  it('writes 1,000 pings in one call and updates them with the next one', async () => {
    const first = Array.from({ length: 1000 }, (_, i) => agentPing(i));
    expect(await pings.upsertMany(first)).toBe(1000);
    const listed = await pings.list();
    expect(listed).toHaveLength(1000);
    expect(listed[7]).toMatchObject({ worker: 'ag-edge-0007', kind: 'agent', tags: ['site-a', 'shard-3'], memoryBytes: 50_000_007, ip: '10.0.0.7', occupancy: 0.25, jobsExecuted: 0 });
    const startedAt = listed[7]!.startedAt;
    await pool.query(`UPDATE worker_ping SET last_ping = now() - interval '1 hour', started_at = started_at - interval '1 hour'`);

    const job = '77777777-7777-4777-8777-777777777777';
    // Worker 7 runs a job; worker 8 restarted (new instance); a worker named twice keeps its last ping.
    const second = first.map((p, i) =>
      i === 7 ? { ...p, currentJobId: job, jobsExecuted: 3, tags: ['site-b'] } : i === 8 ? { ...p, workerInstance: 'inst-8-restarted' } : { ...p, jobsExecuted: 1 },
    );
    expect(await pings.upsertMany([...second, { ...second[9]!, jobsExecuted: 99 }])).toBe(1000);
    const after = new Map((await pings.list()).map((p) => [p.worker, p]));
    expect(after.size).toBe(1000);
    expect(after.get('ag-edge-0007')).toMatchObject({ currentJobId: job, jobsExecuted: 3, tags: ['site-b'] });
    expect(after.get('ag-edge-0007')!.startedAt.getTime()).toBe(startedAt.getTime() - 3_600_000);
    expect(after.get('ag-edge-0008')!.startedAt.getTime()).toBeGreaterThan(startedAt.getTime() - 3_600_000);
    expect(after.get('ag-edge-0009')!.jobsExecuted).toBe(99);
    expect(after.get('ag-edge-0010')!.jobsExecuted).toBe(1);
    const { rows } = await pool.query<{ stale: number }>(`SELECT count(*)::int AS stale FROM worker_ping WHERE last_ping < now() - interval '1 minute'`);
    expect(rows[0]!.stale).toBe(0);
  });

  it('refuses a batch with a malformed ping and writes none of it', async () => {
    const error = await expectQueueError(pings.upsertMany([agentPing(5000), agentPing(5001, { tags: ['bad tag'] })]), QueueErrorCode.InvalidJob);
    expect(error.message).toMatch(/^pings\[1\]\.tags:/);
    expect((await pings.list()).some((p) => p.worker === 'ag-edge-5000')).toBe(false);
  });

  it('records normal workers too', async () => {
    await pings.upsertMany([{ worker: 'wk-default-1', workerInstance: 'i', workerGroup: 'default', kind: 'normal', tags: [], jobsExecuted: 0, version: '0.1.0' }]);
    expect((await pings.list()).find((p) => p.worker === 'wk-default-1')).toMatchObject({ kind: 'normal', tags: [], ip: null, memoryBytes: null, occupancy: null });
  });

  it('touchMany moves last_ping of known workers only, leaving every other field as it was', async () => {
    await pings.upsertMany([agentPing(9001, { jobsExecuted: 7 }), agentPing(9002)]);
    await pool.query(`UPDATE worker_ping SET last_ping = now() - interval '10 minutes' WHERE worker IN ('ag-edge-9001', 'ag-edge-9002')`);
    const before = new Map((await pings.list()).map((p) => [p.worker, p]));

    expect(await pings.touchMany(['ag-edge-9001', 'ag-edge-9001', 'ag-never-pinged', ''])).toBe(1);

    const after = new Map((await pings.list()).map((p) => [p.worker, p]));
    expect(after.has('ag-never-pinged')).toBe(false);
    expect(after.get('ag-edge-9001')!.lastPing.getTime()).toBeGreaterThan(before.get('ag-edge-9001')!.lastPing.getTime() + 9 * 60_000);
    expect(after.get('ag-edge-9002')!.lastPing).toEqual(before.get('ag-edge-9002')!.lastPing);
    expect({ ...after.get('ag-edge-9001')!, lastPing: null }).toEqual({ ...before.get('ag-edge-9001')!, lastPing: null });
    expect(await pings.touchMany([])).toBe(0);
  });
});
