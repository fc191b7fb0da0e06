import { PgJobQueue } from '@millrace/queue';
import { spawnBuiltApp, testDatabaseUrl, waitForExit, ExitedProcess } from '@millrace/testing';
import { ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { Pool } from 'pg';
import { agentHeaders, agentToken, brokerEnv, newJob, newKeyPair } from './testing/agent-broker.fixture';

interface Reply {
  status: number;
  body: unknown;
}

/** One HTTP call on a fresh connection (no keep-alive socket outlives the test). */
function call(port: number, path: string, headers: Record<string, string>, body?: object): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, path, method: body === undefined && path.startsWith('/health') ? 'GET' : 'POST', agent: false, headers: { ...headers, ...(data ? { 'Content-Type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Waits (bounded) until the broker answers ready; fails early if it exited. */
async function ready(port: number, exited: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (exited()) throw new Error('the broker exited before it was ready');
    const ok = await call(port, '/health/ready', {}).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the broker did not become ready');
}

describe('agent-broker as a real process', () => {
  const keys = newKeyPair();
  let pool: Pool;
  let queue: PgJobQueue;
  const running: Array<{ child: ChildProcess; exit: Promise<ExitedProcess> }> = [];

  const start = async (port: number) => {
    const child = spawnBuiltApp('agent-broker', brokerEnv(keys, { PORT: String(port), LOG_LEVEL: 'info' }));
    let gone = false;
    const exit = waitForExit(child, 60_000).then((e) => ((gone = true), e));
    running.push({ child, exit });
    await ready(port, () => gone);
    return { child, exit };
  };

  beforeAll(() => {
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    queue = new PgJobQueue(pool);
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exit));
    await pool.end();
  });

  it('completes a job exactly once when the broker is SIGKILLed and restarted between pull and result', async () => {
    const port = await freePort();
    const first = await start(port);
    const id = await queue.push(newJob('crash'));
    const token = agentToken(keys, { tags: ['crash'] });
    const pulled = await call(port, '/api/agent_workers/pull_job?wait_s=5', agentHeaders(token, 'survivor'), {});
    expect(pulled.status).toBe(200);
    const { job, job_token: jobToken } = pulled.body as { job: { id: string }; job_token: string };
    expect(job.id).toBe(id);

    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    const second = await start(port);
    const headers = { ...agentHeaders(token, 'survivor'), 'X-Job-Token': jobToken };
    expect(await call(port, `/api/w/acme/agent_workers/push_logs/${id}`, headers, { offset: 0, logs: 'ran through a crash\n' })).toEqual({ status: 200, body: { offset: 20 } });
    const done = { success: true, result: { survived: true }, duration_ms: 3 };
    expect(await call(port, `/api/w/acme/agent_workers/send_result/${id}`, headers, done)).toEqual({ status: 200, body: { repeated: false } });
    // The agent did not hear the answer and sends it again: still one completion.
    expect(await call(port, `/api/w/acme/agent_workers/send_result/${id}`, headers, done)).toEqual({ status: 200, body: { repeated: true } });

    const { rows } = await pool.query<{ success: boolean; result: unknown; worker: string }>(`SELECT success, result, worker FROM job_completed WHERE id = $1`, [id]);
    expect(rows).toEqual([{ success: true, result: { survived: true }, worker: 'ag-edge-survivor' }]);
    expect((await pool.query(`SELECT 1 FROM job_queue WHERE id = $1`, [id])).rowCount).toBe(0);
    expect(await queue.getLogs('acme', id)).toBe('ran through a crash\n');

    // And it stops cleanly on SIGTERM.
    second.child.kill('SIGTERM');
    const exited = await second.exit;
    expect(exited.code).toBe(0);
    expect(exited.stdout + exited.stderr).not.toContain(jobToken);
  });
});
