import { ExecutionErrorCode } from './execution.error';
import { eventually, isAlive, job, Scratch } from '../spec-support/executor.fixture';

const scratch = new Scratch();
afterAll(() => scratch.remove());

/** A bash job that starts a background child, records its pid, says "ready" and waits. */
function spawnsBackgroundChild(pidFile: string, prelude = ''): string {
  return `${prelude}\nsleep 300 &\necho $! > ${pidFile}\necho ready\nwait`;
}

function readPid(name: string): number {
  return Number(scratch.read(name).trim());
}

// Both ways of starting a job: through the job launcher (the default) and forked by the
// worker itself (useLauncher: false). Signals reach the job's group directly either way.
describe.each([
  ['through the job launcher', true],
  ['forked by the worker itself', false],
])('started %s', (_how, useLauncher) => {
  const executor = scratch.executor({ killGraceMs: 300, useLauncher });

  it('cancel kills the whole process group and records who cancelled and why', async () => {
    let logs = '';
    const run = executor.start(job('bash', spawnsBackgroundChild(scratch.file('cancel.pid'))), { onLogs: (c) => void (logs += c) });
    await eventually(() => logs.includes('ready'));
    const child = readPid('cancel.pid');
    expect(isAlive(child)).toBe(true);

    run.cancel({ by: 'alice@example.com', reason: 'wrong input' });
    const r = await run.done;

    expect(r).toMatchObject({ success: false, canceledBy: 'alice@example.com', canceledReason: 'wrong input', error: { name: ExecutionErrorCode.Canceled } });
    await eventually(() => !isAlive(child));
  });

  it('escalates to SIGKILL when the job ignores SIGTERM', async () => {
    let logs = '';
    const run = executor.start(job('bash', spawnsBackgroundChild(scratch.file('stubborn.pid'), "trap '' TERM")), { onLogs: (c) => void (logs += c) });
    await eventually(() => logs.includes('ready'));
    const child = readPid('stubborn.pid');

    run.cancel({ by: 'operator' });
    const r = await run.done;

    expect(r).toMatchObject({ success: false, canceledBy: 'operator', error: { name: ExecutionErrorCode.Canceled } });
    await eventually(() => !isAlive(child));
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    let logs = '';
    const run = executor.start(job('python3', 'import time\ndef main():\n    print("ready")\n    time.sleep(300)'), { signal: controller.signal, onLogs: (c) => void (logs += c) });
    await eventually(() => logs.includes('ready'));
    controller.abort({ by: 'wk-default-1', reason: 'worker shutdown' });
    expect(await run.done).toMatchObject({ success: false, canceledBy: 'wk-default-1', canceledReason: 'worker shutdown' });
  });

  it('does not start a job cancelled before it began', async () => {
    const controller = new AbortController();
    controller.abort('not needed');
    const r = await executor.run(job('bash', `touch ${scratch.file('should-not-exist')}`), { signal: controller.signal });
    expect(r).toMatchObject({ success: false, canceledBy: 'abort', canceledReason: 'not needed' });
    expect(() => scratch.read('should-not-exist')).toThrow();
  });

  it('times out a job past timeoutS with reason "timeout"', async () => {
    const r = await executor.run(job('nodejs', 'export async function main() { await new Promise((r) => setTimeout(r, 300_000)); }', {}, { timeoutS: 1 }));
    expect(r).toMatchObject({ success: false, canceledBy: 'timeout', canceledReason: 'timeout', error: { name: ExecutionErrorCode.Timeout } });
  });

  it('kills background processes a finished job left behind', async () => {
    const r = await executor.run(job('bash', `sleep 300 &\necho $! > ${scratch.file('leftover.pid')}\necho done`));
    expect(r).toMatchObject({ success: true, result: 'done' });
    await eventually(() => !isAlive(readPid('leftover.pid')));
  });

  it('finishes even when a process escaped the group and holds the output pipe open', async () => {
    const pidFile = scratch.file('escaped.pid');
    const r = await executor.run(job('bash', `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 300' &\nsleep 0.2\necho finished`), {});
    try {
      expect(r).toMatchObject({ success: true, result: 'finished' });
    } finally {
      process.kill(readPid('escaped.pid'), 'SIGKILL');
    }
  });
});

it('removes every job directory afterwards, cancelled or not', () => {
  expect(scratch.leftoverJobDirs()).toEqual([]);
});
