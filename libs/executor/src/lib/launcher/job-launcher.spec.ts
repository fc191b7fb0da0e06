import { spawn } from 'node:child_process';
import { ExecutionErrorCode } from '../execution.error';
import { ScriptExecutor } from '../script-executor.service';
import { eventually, isAlive, job, Scratch } from '../../spec-support/executor.fixture';
import { JobLauncher, LauncherSpawner } from './job-launcher';
import { LAUNCHER_PROGRAM } from './launcher.program';

const scratch = new Scratch();
const launcher = new JobLauncher();
const warnings: string[] = [];
const executor = new ScriptExecutor(
  { path: process.env['PATH'] ?? '', tempRoot: scratch.jobs, logFlushIntervalMs: 50, killGraceMs: 300, maxLogBytes: 8 * 1024 * 1024 },
  { spawner: new LauncherSpawner((m) => warnings.push(m), launcher) },
);

afterAll(() => {
  launcher.close();
  scratch.remove();
});

it("starts jobs as the launcher's children, and the launcher holds none of the worker's environment", async () => {
  let logs = '';
  const script = 'echo "ppid=$PPID"; echo "cmd=$(tr "\\0" " " < /proc/$PPID/cmdline)"; echo "env<<"; tr "\\0" "\\n" < /proc/$PPID/environ; echo ">>env"';
  const r = await executor.run(job('bash', script), { onLogs: (c) => void (logs += c) });
  expect(r).toMatchObject({ success: true });
  expect(launcher.pid).toBeDefined();
  expect(launcher.pid).not.toBe(process.pid);
  expect(logs).toContain(`ppid=${launcher.pid}`);
  expect(logs).toMatch(/^cmd=millrace-job-launcher (--[a-z-]+(=\d+)? )*- ?$/m);
  // Only what Node adds for the IPC channel: none of the worker's variables (PATH, tokens…).
  const environ = logs.slice(logs.indexOf('env<<\n') + 6, logs.indexOf('>>env')).split('\n').filter(Boolean);
  expect(environ.length).toBeGreaterThan(0);
  expect(environ.every((line) => line.startsWith('NODE_CHANNEL_'))).toBe(true);
  expect(process.env['PATH']).toBeTruthy();
});

it('relays megabytes of output whole and in order, stdout and stderr', async () => {
  let logs = '';
  const r = await executor.run(job('bash', 'seq 1 300000; echo "to stderr" >&2; echo last'), { onLogs: (c) => void (logs += c) });
  expect(r).toMatchObject({ success: true, result: 'last' });
  const numbers = Array.from({ length: 300000 }, (_, i) => String(i + 1)).join('\n');
  expect(logs.length).toBeGreaterThan(1_900_000);
  // Two pipes: where stderr's line falls among stdout's chunks is up to the reads.
  expect(logs.split('to stderr\n')).toHaveLength(2);
  expect(logs.replace('to stderr\n', '')).toBe(`${numbers}\nlast\n`);
});

it('runs jobs side by side through one launcher', async () => {
  const before = launcher.pid;
  const results = await Promise.all([1, 2, 3, 4].map((n) => executor.run(job('bash', `sleep 0.2; echo "job ${n} of $PPID"`))));
  expect(results.map((r) => (r.success ? r.result : r.error.message))).toEqual([1, 2, 3, 4].map((n) => `job ${n} of ${before}`));
});

it('keeps running jobs through a SIGTERM to the launcher (a draining worker waits for them)', async () => {
  let logs = '';
  const run = executor.start(job('bash', 'echo started; sleep 0.5; echo "done"'), { onLogs: (c) => void (logs += c) });
  await eventually(() => logs.includes('started'));
  process.kill(launcher.pid as number, 'SIGTERM');
  expect(await run.done).toMatchObject({ success: true, result: 'done' });
});

it('a launcher killed mid-job: the job ends killed with its whole group, and the next job gets a new launcher', async () => {
  let logs = '';
  const pidFile = scratch.file('orphan.pid');
  const run = executor.start(job('bash', `sleep 300 &\necho $! > ${pidFile}\necho ready\nwait`), { onLogs: (c) => void (logs += c) });
  await eventually(() => logs.includes('ready'));
  const first = launcher.pid as number;
  const orphan = Number(scratch.read('orphan.pid').trim());
  expect(isAlive(orphan)).toBe(true);

  process.kill(first, 'SIGKILL');
  const r = await run.done;

  expect(r.success).toBe(false);
  await eventually(() => !isAlive(orphan));
  expect(warnings.join('\n')).toMatch(/job launcher exited \(SIGKILL\) while process \d+ ran: its process group is killed/);

  const next = await executor.run(job('bash', 'echo "again from $PPID"'));
  expect(launcher.pid).not.toBe(first);
  expect(next).toMatchObject({ success: true, result: `again from ${launcher.pid}` });
});

it('exits when its worker dies (its channel closes), without waiting for the jobs', async () => {
  // A stand-in worker: starts the launcher program as JobLauncher does, has it start a job,
  // prints both pids, and is then killed with SIGKILL.
  const worker = spawn(
    process.execPath,
    [
      '-e',
      `const { spawn } = require('node:child_process');
       const l = spawn(process.execPath, ['-'], { env: {}, stdio: ['pipe', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
       l.stdin.end(process.env.PROGRAM);
       l.on('message', (m) => { if (m.type === 'spawned') console.log(JSON.stringify({ launcher: l.pid, job: m.pid })); });
       l.send({ type: 'spawn', id: 1, command: 'sleep', args: ['300'], cwd: '/', env: { PATH: process.env.PATH } });`,
    ],
    { env: { PATH: process.env['PATH'] ?? '', PROGRAM: LAUNCHER_PROGRAM }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  worker.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await eventually(() => out.includes('\n'));
  const { launcher: launcherPid, job: jobPid } = JSON.parse(out) as { launcher: number; job: number };
  try {
    expect(isAlive(launcherPid)).toBe(true);
    worker.kill('SIGKILL');
    await eventually(() => !isAlive(launcherPid));
  } finally {
    process.kill(-jobPid, 'SIGKILL');
  }
});

it('close() lets the launcher go; a job it was running ends killed', async () => {
  let logs = '';
  const run = executor.start(job('bash', 'echo ready; sleep 300'), { onLogs: (c) => void (logs += c) });
  await eventually(() => logs.includes('ready'));
  const pid = launcher.pid as number;
  launcher.close();
  const r = await run.done;
  expect(r.success).toBe(false);
  await eventually(() => !isAlive(pid));
});

it('fails a job cleanly when its command cannot be found, and leaves no job directory', async () => {
  const broken = new ScriptExecutor({ path: process.env['PATH'] ?? '', tempRoot: scratch.jobs, bashCommand: 'millrace-no-such-shell' }, { spawner: new LauncherSpawner(() => undefined, launcher) });
  const r = await broken.run(job('bash', 'echo hi'));
  expect(r).toMatchObject({ success: false, error: { name: ExecutionErrorCode.SpawnFailed, message: expect.stringContaining('ENOENT') } });
  expect(scratch.leftoverJobDirs()).toEqual([]);
});
