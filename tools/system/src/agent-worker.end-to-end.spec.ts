import { JobView, PgJobQueue, QueueMonitor } from '@millrace/queue';
import { testDatabaseUrl } from '@millrace/testing';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { agentToken, KeyPair, newKeyPair } from './support/agent-tokens';
import { eventually, freePort, RunningApp } from './support/running-app';

/**
 * The HTTP-only agent worker against a real broker, both as real processes on this file's
 * database: jobs in every language, crash recovery, revocation, INIT_SCRIPT, drain.
 */
describe('agent worker through the broker (real processes)', () => {
  let pool: Pool;
  let queue: PgJobQueue;
  let keys: KeyPair;
  let broker: RunningApp;
  const jobTokenSecret = randomBytes(32).toString('hex');
  const agents: RunningApp[] = [];

  const startAgent = (tags: string[], env: Record<string, string> = {}) => {
    const { token, jti } = agentToken(keys, 'edge', tags);
    const agent = RunningApp.start('agent-worker', { AGENT_TOKEN: token, BASE_INTERNAL_URL: broker.url, HEALTH_PORT: '0', PULL_WAIT_S: '5', WORKER_SUFFIX: `t${randomBytes(3).toString('hex')}`, SHUTDOWN_GRACE_S: '20', ...env }, 0);
    agents.push(agent);
    return { agent, jti };
  };

  const push = (tag: string, language: 'bash' | 'python3' | 'nodejs', content: string, args: Record<string, unknown> = {}) =>
    queue.push({ workspaceId: 'acme', kind: 'script', language, content, args, tag, createdBy: 'test' });

  const completed = (id: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const j = await queue.get('acme', id);
      return j?.type === 'CompletedJob' ? j : undefined;
    }, `job ${id} to complete`, timeoutMs);

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
    queue = new PgJobQueue(pool);
    keys = newKeyPair();
    const port = await freePort();
    broker = await RunningApp.start(
      'agent-broker',
      { DATABASE_URL: testDatabaseUrl(), JWT_PUBLIC_KEY: keys.publicPem, JOB_TOKEN_SECRET: jobTokenSecret, PORT: String(port), DB_POOL_MAX: '4' },
      port,
    ).ready();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    await broker?.stop();
    await pool?.end();
  });

  it('runs bash, python3 and nodejs jobs with args and reports results and logs', async () => {
    const { agent } = startAgent(['sys-langs']);
    const bash = await push('sys-langs', 'bash', 'name="$1"\necho "hello $name"\necho "{\\"greeting\\": \\"hi $name\\"}"', { name: 'ada' });
    const py = await push('sys-langs', 'python3', 'def main(a: int, b: int = 2):\n    print("adding")\n    return {"sum": a + b}\n', { a: 40 });
    const js = await push('sys-langs', 'nodejs', 'async function main(xs, scale) { console.log("mapping"); return xs.map((x) => x * scale); }\nmodule.exports = { main };', { xs: [1, 2], scale: 3 });
    const failing = await push('sys-langs', 'bash', 'echo about to fail; exit 3');
    const [b, p, j, f] = await Promise.all([bash, py, js, failing].map((id) => completed(id)));
    expect(b).toMatchObject({ success: true, result: { greeting: 'hi ada' } });
    expect(b!.worker).toMatch(/^ag-edge-t[0-9a-f]{6}$/);
    expect(p).toMatchObject({ success: true, result: { sum: 42 } });
    expect(j).toMatchObject({ success: true, result: [3, 6] });
    expect(f).toMatchObject({ success: false });
    expect(await queue.getLogs('acme', bash)).toContain('hello ada');
    expect(await queue.getLogs('acme', py)).toContain('adding');
    expect(await queue.getLogs('acme', failing)).toContain('about to fail');
    await agent.stop();
  });

  it("a busy agent's next job comes back with its previous result's reply (one exchange per job); each job runs once", async () => {
    const ids = await queue.pushMany(
      Array.from({ length: 20 }, (_, i) => ({ workspaceId: 'acme', kind: 'script' as const, language: 'bash' as const, content: `echo "job ${i} by $PPID"`, args: {}, tag: 'sys-ride', createdBy: 'test' })),
    );
    startAgent(['sys-ride']);
    const done = await Promise.all(ids.map((id) => completed(id)));
    expect(done.every((j) => j.type === 'CompletedJob' && j.success)).toBe(true);
    expect(done.map((j) => (j.type === 'CompletedJob' ? String(j.result).replace(/ by \d+$/, '') : ''))).toEqual(ids.map((_, i) => `job ${i}`));
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM job_completed WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows[0]!.n).toBe(20);
    // The first jobs come by pull_job; once the agent holds a prefetched one, the rest ride.
    const worker = done[0]!.type === 'CompletedJob' ? done[0]!.worker : '';
    const rides = broker.output.split('\n').filter((l) => l.includes(`delivered to ${worker} with a result's reply`)).length;
    expect(rides).toBeGreaterThanOrEqual(10);
  });

  it('recovers a job whose agent was killed mid-run: requeued, then completed by another agent', async () => {
    const { agent: doomed } = startAgent(['sys-crash']);
    const id = await push('sys-crash', 'bash', 'echo started; sleep 2; echo done');
    const running = await eventually(async () => {
      const j = await queue.get('acme', id);
      return j?.running ? j : undefined;
    }, 'the job to start');
    await doomed.stop('SIGKILL');
    // The monitor sees no heartbeat past the zombie timeout: run it as if that time had passed.
    const monitor = new QueueMonitor(pool, queue, { zombieTimeoutS: 30, restartLimit: 3, retentionDays: 30 });
    const report = await monitor.runOnce(new Date(Date.now() + 120_000));
    expect(report.requeued).toContain(id);
    const { agent: rescuer } = startAgent(['sys-crash']);
    const done: JobView = await completed(id);
    expect(done).toMatchObject({ success: true, restarts: 1 });
    expect(done.worker).not.toBe(running.worker);
    await rescuer.stop();
  });

  it('survives a broker SIGKILL mid-job: restarted on the same port, the result lands exactly once', async () => {
    const { agent } = startAgent(['sys-broker-crash']);
    const id = await push('sys-broker-crash', 'bash', 'echo before; sleep 3; echo after; echo \'{"ok": true}\'');
    // The agent runs it once its first log line is stored. (A claimed job alone is not enough:
    // a broker killed between its claim and its reply leaves the job to the zombie monitor.)
    await eventually(async () => ((await queue.getLogs('acme', id))?.includes('before') ? true : undefined), 'the agent to run the job');
    const port = broker.port;
    await broker.stop('SIGKILL');
    // The agent keeps running the job and retries its heartbeats, logs and result meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    broker = await RunningApp.start(
      'agent-broker',
      { DATABASE_URL: testDatabaseUrl(), JWT_PUBLIC_KEY: keys.publicPem, JOB_TOKEN_SECRET: jobTokenSecret, PORT: String(port), DB_POOL_MAX: '4' },
      port,
    ).ready();
    const done = await completed(id);
    expect(done).toMatchObject({ success: true, result: { ok: true }, restarts: 0 });
    const logs = await queue.getLogs('acme', id);
    expect(logs?.match(/before/g)).toHaveLength(1);
    expect(logs?.match(/after/g)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM job_completed WHERE id = $1`, [id]);
    expect(rows[0].n).toBe(1);
    await agent.stop();
  });

  it('drains on SIGTERM: the running job finishes and the agent exits 0', async () => {
    const { agent } = startAgent(['sys-drain']);
    const id = await push('sys-drain', 'bash', 'echo started; sleep 3; echo finished');
    // As soon as the job is claimed for the agent, possibly before its reply reached the agent:
    // the stopping agent ends its poll through the broker (end_poll) rather than closing the
    // connection, so that reply still arrives and the job runs.
    await eventually(async () => ((await queue.get('acme', id))?.running ? true : undefined), 'the job to be claimed');
    const exit = await agent.stop('SIGTERM');
    expect(exit.code).toBe(0);
    const done = await completed(id, 10_000);
    expect(done).toMatchObject({ success: true });
    expect(await queue.getLogs('acme', id)).toContain('finished');
  });

  it('SIGTERM while a job is being handed to the idle agent: the job is run or left queued, never left claimed without a runner', async () => {
    for (let round = 0; round < 4; round++) {
      const { agent } = startAgent(['sys-stop-race']);
      await agent.waitForOutput('starting against');
      const id = await push('sys-stop-race', 'bash', 'echo ran');
      // Staggered, so that the stop lands before, during and after the claim across rounds.
      await new Promise((r) => setTimeout(r, round * 3));
      expect((await agent.stop('SIGTERM')).code).toBe(0);
      const job = await queue.get('acme', id);
      if (job?.type === 'CompletedJob') {
        expect(job.success).toBe(true);
      } else {
        // Not run: it must be claimable again now, not claimed by the agent that has left.
        expect(job).toMatchObject({ type: 'QueuedJob', running: false });
        await pool.query('DELETE FROM job_queue WHERE id = $1', [id]);
      }
    }
  });

  it('exits 1 saying the token was rejected once it is revoked', async () => {
    const { agent, jti } = startAgent(['sys-revoked']);
    await agent.waitForOutput('starting against');
    await pool.query(`INSERT INTO agent_token (jti, worker_group, tags, exp, revoked_at) VALUES ($1, 'edge', $2, now() + interval '1 hour', now())`, [jti, ['sys-revoked']]);
    const exit = await agent.exited;
    expect(exit.code).toBe(1);
    expect(agent.output).toMatch(/rejected this agent's token/);
  });

  it('records a failing INIT_SCRIPT as a failed init job, exits 1 and never pulls', async () => {
    const { agent } = startAgent(['sys-init'], { INIT_SCRIPT: 'echo preparing; exit 4' });
    const queued = await push('sys-init', 'bash', 'echo should not run');
    const exit = await agent.exited;
    expect(exit.code).toBe(1);
    expect(agent.output).toMatch(/INIT_SCRIPT failed/);
    expect((await queue.get('acme', queued))?.running).toBe(false);
    const [init] = await queue.list('admins', { kinds: ['init'], page: 1, perPage: 10 });
    expect(init).toMatchObject({ type: 'CompletedJob', kind: 'init', success: false });
    expect(init!.createdBy).toMatch(/^ag-edge-t/);
    expect(await queue.getLogs('admins', init!.id)).toContain('preparing');
  });

  it('records a passing INIT_SCRIPT as a job, then pulls work', async () => {
    const { agent } = startAgent(['sys-init-ok'], { INIT_SCRIPT: 'echo ready-to-go' });
    const id = await push('sys-init-ok', 'bash', 'echo after init');
    expect(await completed(id)).toMatchObject({ success: true });
    const inits = await queue.list('admins', { kinds: ['init'], success: true, page: 1, perPage: 10 });
    const mine = inits.find((j) => j.createdBy === (agent.output.match(/agent (ag-edge-t[0-9a-f]{6}) starting/) ?? [])[1]);
    expect(mine).toMatchObject({ type: 'CompletedJob', success: true });
    expect(await queue.getLogs('admins', mine!.id)).toContain('ready-to-go');
    await agent.stop();
  });
});
