import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allProcesses, descendantsOf, ProcessInfo, stillRunning } from './support/process-tree.util';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const LAUNCHER = path.join(REPO_ROOT, 'tools/start/start.mjs');
// The four server apps and the demo agent worker.
const APPS = ['agent-broker', 'agent-worker', 'api-gateway', 'job-queue', 'normal-worker'];

interface Launched {
  proc: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the launcher as `npm start` would, but with only the settings given: the tests'
 * own DATABASE_URL or port overrides must not leak in, or the embedded path goes untested.
 */
function launch(settings: Record<string, string>): Launched {
  const env: Record<string, string | undefined> = { ...process.env, ...settings };
  for (const name of ['DATABASE_URL', 'JOB_QUEUE_PORT', 'AGENT_BROKER_PORT', 'NORMAL_WORKER_HEALTH_PORT', 'AGENT_WORKER_HEALTH_PORT']) {
    delete env[name];
  }
  const proc = spawn(process.execPath, [LAUNCHER], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => text, exit };
}

/** Resolves the first match of `pattern` in the output; rejects if the launcher exits first. */
async function waitForOutput(l: Launched, pattern: RegExp): Promise<RegExpMatchArray> {
  let exited = false;
  void l.exit.then(() => (exited = true));
  for (;;) {
    const match = l.output().match(pattern);
    if (match) return match;
    if (exited) throw new Error(`launcher exited before printing ${pattern}:\n${l.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** GET without keep-alive, so no socket outlives the request. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('npm start', () => {
  let dataDir: string;
  const launched: Launched[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'millrace-e2e-'));
    // As root, PostgreSQL runs as the `postgres` user, which must reach <dataDir>/pg.
    chmodSync(dataDir, 0o755);
  });

  afterAll(async () => {
    // After a failed test: SIGTERM first, so the launcher still stops what it started (a
    // SIGKILL would orphan the apps); SIGKILL only if it does not exit in time.
    for (const l of launched) {
      if (l.proc.exitCode !== null || l.proc.signalCode !== null) continue;
      l.proc.kill('SIGTERM');
      const timer = setTimeout(() => l.proc.kill('SIGKILL'), 20_000);
      await l.exit;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every app on an embedded PostgreSQL and stops all of it on SIGTERM', async () => {
    const port = await freePort();
    // The bundles were built by this target's dependsOn; rebuilding here would rewrite dist/
    // under other projects' tests that run at the same time.
    const l = launch({ PORT: String(port), MILLRACE_DATA_DIR: dataDir, MILLRACE_SKIP_BUILD: 'true' });
    launched.push(l);

    const ready = await waitForOutput(l, /^Millrace is ready at (http:\/\/localhost:(\d+))$/m);
    expect(Number(ready[2])).toBe(port);
    expect(await statusOf(`${ready[1]}/health/ready`)).toBe(200);

    const apps = [...l.output().matchAll(/^\[launcher\] (\S+) ready at (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)$/gm)];
    expect(apps.map((m) => m[1]).sort()).toEqual(APPS);
    for (const [, name, url] of apps) {
      expect({ name, status: await statusOf(`${url}/health/ready`) }).toEqual({ name, status: 200 });
    }
    expect(l.output()).toMatch(/^Log in as admin@millrace\.local \/ changeme/m);

    // The demo agent, minted through the gateway, pings through it: the admin sees it alive.
    const { token } = (await (await fetch(`${ready[1]}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@millrace.local', password: 'changeme' }) })).json()) as { token: string };
    let demo: { worker: string; kind: string; alive: boolean } | undefined;
    for (let i = 0; i < 100 && !demo; i++) {
      const workers = (await (await fetch(`${ready[1]}/api/workers/list`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ worker: string; kind: string; alive: boolean }>;
      demo = workers.find((w) => w.worker === 'ag-demo-demo');
      if (!demo) await new Promise((r) => setTimeout(r, 200));
    }
    expect(demo).toMatchObject({ kind: 'agent', alive: true });

    // Everything the launcher started, as of now: the apps, the PostgreSQL host process,
    // the postmaster and its workers.
    const tree: ProcessInfo[] = descendantsOf(l.proc.pid!);
    for (const [, name, , pid] of apps) {
      expect(tree.find((p) => p.pid === Number(pid))?.cmdline).toContain(`dist/apps/${name}/main.js`);
    }
    const postmasterPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(tree.map((p) => p.pid)).toContain(postmasterPid);
    expect(tree.length).toBeGreaterThan(apps.length + 2);

    l.proc.kill('SIGTERM');
    expect(await l.exit).toEqual({ code: 0, signal: null });
    expect(l.output()).toContain('[launcher] stopped');
    expect(l.output()).not.toContain('did not stop within');
    expect(stillRunning(tree)).toEqual([]);
    expect(allProcesses().filter((p) => p.cmdline.includes(dataDir))).toEqual([]);
  });

  it('refuses an invalid PORT before building anything, naming the variable', async () => {
    const l = launch({ PORT: 'abc', MILLRACE_DATA_DIR: dataDir });
    launched.push(l);
    expect(await l.exit).toEqual({ code: 1, signal: null });
    expect(l.output()).toMatch(/invalid setting: PORT .*"abc"/);
    expect(l.output()).not.toContain('building');
  });
});
