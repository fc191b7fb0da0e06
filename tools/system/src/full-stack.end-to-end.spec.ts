import { testDatabaseUrl } from '@millrace/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newKeyPair } from './support/agent-tokens';
import { freePort, RunningApp } from './support/running-app';

const ADMIN = { email: 'root@millrace.test', password: 'root-password-1' };

/**
 * The whole product as real processes on one database: a client talks only to the gateway;
 * jobs run on a normal worker and on an agent that reaches everything through the gateway.
 */
describe('full stack: gateway → job-queue → normal worker and agent (real processes)', () => {
  const apps: RunningApp[] = [];
  let gateway: RunningApp;
  let token: string;
  let dataDir: string;

  const api = async (method: string, route: string, body?: unknown, auth = token) => {
    const res = await fetch(`${gateway.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  };

  const start = async (app: string, env: Record<string, string>, portVar = 'PORT') => {
    const port = await freePort();
    const running = RunningApp.start(app, { DATABASE_URL: testDatabaseUrl(), DB_SKIP_MIGRATIONS: 'true', DB_POOL_MAX: '4', [portVar]: String(port), ...env }, port);
    apps.push(running);
    return running.ready();
  };

  beforeAll(async () => {
    const keys = newKeyPair();
    dataDir = mkdtempSync(path.join(tmpdir(), 'millrace-sys-'));
    const jobQueue = await start('job-queue', { JWT_PUBLIC_KEY: keys.publicPem });
    const broker = await start('agent-broker', { JWT_PUBLIC_KEY: keys.publicPem, JOB_TOKEN_SECRET: randomBytes(32).toString('hex') });
    gateway = await start('api-gateway', {
      JWT_PRIVATE_KEY: keys.privatePem,
      JOB_QUEUE_URL: jobQueue.url,
      AGENT_BROKER_URL: broker.url,
      SUPERADMIN_EMAIL: ADMIN.email,
      SUPERADMIN_PASSWORD: ADMIN.password,
      MILLRACE_DATA_DIR: dataDir,
    });
    await start('normal-worker', { BASE_INTERNAL_URL: gateway.url }, 'HEALTH_PORT');
    const login = await api('POST', '/api/auth/login', ADMIN, '');
    expect(login.status).toBe(200);
    token = (login.json as { token: string }).token;
  });

  afterAll(async () => {
    await Promise.all(apps.reverse().map((a) => a.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scripts = [
    // bash arguments are strings (positional parameters); the script prints JSON with a number.
    { lang: 'bash', path: 'f/sys/greet_bash', content: 'name="$1"\ncount="$2"\necho "hello $name"\necho "{\\"name\\": \\"$name\\", \\"count\\": $count}"', args: { name: 'ada', count: '2' }, expected: { name: 'ada', count: 2 } },
    { lang: 'python3', path: 'f/sys/greet_py', content: 'def main(name: str, count: int = 1):\n    print("hello", name)\n    return {"name": name, "count": count}\n', args: { name: 'ada', count: 2 }, expected: { name: 'ada', count: 2 } },
    { lang: 'nodejs', path: 'f/sys/greet_js', content: 'export async function main(name, count = 1) {\n  console.log("hello", name);\n  return { name, count };\n}\n', args: { name: 'ada', count: 2 }, expected: { name: 'ada', count: 2 } },
    { lang: 'typescript', path: 'f/sys/greet_ts', content: 'export async function main(name: string, count: number = 1): Promise<{ name: string; count: number }> {\n  console.log("hello", name);\n  return { name, count };\n}\n', args: { name: 'ada', count: 2 }, expected: { name: 'ada', count: 2 } },
  ] as const;

  it.each(scripts)('runs a $lang script on the normal worker and returns its result', async (s) => {
    const created = await api('POST', '/api/w/admins/scripts/create', { path: s.path, language: s.lang, content: s.content });
    expect(created.status).toBe(201);
    const res = await api('POST', `/api/w/admins/jobs/run_wait_result/p/${s.path}?timeout_s=60`, s.args);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(s.expected);
  });

  it('refuses args that do not fit the inferred schema, naming the argument', async () => {
    const res = await api('POST', '/api/w/admins/jobs/run/p/f/sys/greet_py', { count: 'many' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/name|count/);
  });

  it('runs a job on an agent that reaches the broker through the gateway, and stops it by revoking its token', async () => {
    const minted = await api('POST', '/api/agent_workers/create_agent_token', { worker_group: 'edge', tags: ['sys-edge'] });
    expect(minted.status).toBe(201);
    expect(minted.text).toMatch(/^jwt_agent_/);
    const agent = RunningApp.start('agent-worker', { AGENT_TOKEN: minted.text, BASE_INTERNAL_URL: gateway.url, HEALTH_PORT: '0', PULL_WAIT_S: '5' }, 0);
    apps.push(agent);
    await api('POST', '/api/w/admins/scripts/create', { path: 'f/sys/on_edge', language: 'bash', content: 'echo "{\\"where\\": \\"$(hostname)\\"}"', tag: 'sys-edge' });
    const run = await api('POST', '/api/w/admins/jobs/run/p/f/sys/on_edge', {});
    expect(run.status).toBe(201);
    const id = run.text.trim();
    const done = await api('POST', `/api/w/admins/jobs/run_wait_result/p/f/sys/on_edge?timeout_s=60`, {});
    expect(done.status).toBe(200);
    expect(done.json).toHaveProperty('where');
    const job = await api('GET', `/api/w/admins/jobs_u/get/${id}`);
    expect(job.json).toMatchObject({ type: 'CompletedJob', success: true, tag: 'sys-edge' });
    expect((job.json as { worker: string }).worker).toMatch(/^ag-edge-/);

    const listed = await api('GET', '/api/agent_workers/list_tokens');
    const jti = (listed.json as Array<{ jti: string; tags: string[] }>).find((t) => t.tags.includes('sys-edge'))?.jti;
    expect(jti).toBeDefined();
    expect((await api('POST', '/api/agent_workers/blacklist_token', { jti })).status).toBe(200);
    const exit = await agent.exited;
    expect(exit.code).toBe(1);
    expect(agent.output).toMatch(/rejected this agent's token/);
  });
});
