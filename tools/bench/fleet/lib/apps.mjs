// Building and running the real processes the fleet benchmark measures: the agent-broker,
// the agent-worker and normal-worker of the comparison, the TypeScript pusher and the
// migrate CLI. Bundled from the tree as it is now, with the same bundle.mjs flags as each
// app's `nx build` target, into tools/bench/fleet/.build: other engineers rebuilding dist/
// mid-run cannot swap a file under a running benchmark. --dist uses dist/apps instead.
import { execFileSync, fork, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.resolve(here, '..');
export const root = path.resolve(benchDir, '../../..');
const buildDir = path.join(benchDir, '.build');

function bundle(entry, out, selfContained = false) {
  const args = [path.join(root, 'tools/build/bundle.mjs'), '--entry', entry, '--outfile', path.relative(root, out)];
  if (selfContained) args.push('--self-contained');
  execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** Returns the scripts to run; `normalWorker` is an Error when that app does not build. */
export function buildAll({ useDist }) {
  const app = (name, selfContained) => {
    if (useDist) {
      const file = path.join(root, 'dist/apps', name, 'main.js');
      if (!existsSync(file)) throw new Error(`${file} is missing: build it first (npx nx run-many -t build)`);
      return file;
    }
    return bundle(`apps/${name}/src/main.ts`, path.join(buildDir, `${name}.js`), selfContained);
  };
  const scripts = {
    pusher: bundle('tools/bench/fleet/pusher/pusher.ts', path.join(buildDir, 'pusher.js')),
    migrate: bundle('libs/data-access/src/cli/migrate.ts', path.join(buildDir, 'migrate.js')),
    broker: app('agent-broker'),
    agentWorker: app('agent-worker', true),
  };
  try {
    scripts.normalWorker = app('normal-worker');
  } catch (e) {
    scripts.normalWorker = new Error(`normal-worker does not build: ${String(e.stderr ?? e.message).slice(0, 2000)}`);
  }
  return scripts;
}

export function migrate(script, databaseUrl) {
  execFileSync(process.execPath, [script], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A built app as a real process; output is kept (last 64 kB) for error messages, and all of
 * it goes to `outputFile` when given (diagnostics, e.g. with `nodeArgs` ['--trace-gc']).
 */
export function startApp(name, script, env, healthPort, { outputFile, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: root,
    // Only what the app needs: a benchmark must not pick up the caller's DATABASE_URL etc.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => {
    output += d;
    if (output.length > 65_536) output = output.slice(-32_768);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (outputFile) {
    const file = createWriteStream(outputFile, { flags: 'a' });
    // Two sources into one file: neither may end it; the exit does.
    child.stdout.pipe(file, { end: false });
    child.stderr.pipe(file, { end: false });
    child.on('close', () => file.end());
  }
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    name,
    pid: child.pid,
    url: `http://127.0.0.1:${healthPort}`,
    get output() {
      return output;
    },
    get alive() {
      return !gone;
    },
    /** Polls /health/ready until 200 (bounded). */
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (gone) throw new Error(`${name} exited before it was ready:\n${output.slice(-3000)}`);
        const ok = await fetch(`${this.url}/health/ready`).then((r) => r.status === 200, () => false);
        if (ok) return this;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`);
    },
    /** SIGTERM, SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The soft "Max open files" of a running process, from /proc/<pid>/limits. */
export function maxOpenFiles(pid) {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/**
 * The pusher as a child with an IPC channel: `call(cmd)` sends one command and resolves with
 * its result (commands are answered in order; each carries a sequence number anyway).
 */
export async function startPusher(script, databaseUrl) {
  const child = fork(script, [], { cwd: root, env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let seq = 0;
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`pusher exited with ${code} before it was ready`)));
    child.on('message', (m) => {
      if (m?.ready) return resolve();
      const w = waiting.get(m?.seq);
      if (!w) return;
      waiting.delete(m.seq);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`pusher: ${m.error}`));
    });
  });
  child.on('exit', () => {
    for (const w of waiting.values()) w.reject(new Error('pusher exited'));
    waiting.clear();
  });
  return {
    pid: child.pid,
    call(command) {
      const s = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(s, { resolve, reject });
        child.send({ ...command, seq: s });
      });
    },
    async stop() {
      if (child.connected) await this.call({ cmd: 'exit' }).catch(() => {});
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}
