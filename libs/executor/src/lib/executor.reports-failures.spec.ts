import { writeFileSync } from 'node:fs';
import { ExecutionErrorCode } from './execution.error';
import { job, Scratch } from '../spec-support/executor.fixture';

const scratch = new Scratch();
const executor = scratch.executor({ maxResultBytes: 1000 });

afterAll(() => scratch.remove());

it('fails a bash script that exits non-zero, quoting its last output', async () => {
  const r = await executor.run(job('bash', 'echo "about to fail"\necho "disk full" >&2\nexit 3'));
  expect(r.success).toBe(false);
  if (r.success) return;
  expect(r.error.name).toBe(ExecutionErrorCode.NonZeroExit);
  expect(r.error.message).toContain('exited with code 3');
  expect(r.error.message).toContain('disk full');
});

it('reports a Python exception with its message and the tail of the traceback, without wrapper frames', async () => {
  const code = ['def helper(v):', '    raise ValueError("bad value: " + v)', '', 'def main(v):', '    helper(v)'].join('\n');
  const r = await executor.run(job('python3', code, { v: 'x' }));
  expect(r.success).toBe(false);
  if (r.success) return;
  expect(r.error).toMatchObject({ name: 'ValueError', message: 'bad value: x' });
  expect(r.error.stack).toContain('in helper');
  expect(r.error.stack).toContain('ValueError: bad value: x');
  expect(r.error.stack).not.toContain('wrapper.py');
});

it('reports a Python syntax error in the script', async () => {
  const r = await executor.run(job('python3', 'def main(:\n    pass'));
  expect(r).toMatchObject({ success: false, error: { name: 'SyntaxError' } });
});

it('reports a JavaScript throw with its message and stack, without wrapper frames', async () => {
  const code = 'function inner(x) { throw new RangeError(`out of range: ${x}`); }\nexport async function main(x) { inner(x); }';
  const r = await executor.run(job('nodejs', code, { x: 9 }));
  expect(r.success).toBe(false);
  if (r.success) return;
  expect(r.error).toMatchObject({ name: 'RangeError', message: 'out of range: 9' });
  expect(r.error.stack).toContain('inner');
  expect(r.error.stack).toContain('main.js');
  expect(r.error.stack).not.toContain('wrapper.mjs');
});

it('reports a thrown non-Error value', async () => {
  const r = await executor.run(job('nodejs', 'export function main() { throw "plain string"; }'));
  expect(r).toMatchObject({ success: false, error: { message: 'plain string' } });
});

it('fails a script without main', async () => {
  expect(await executor.run(job('python3', 'x = 1'))).toMatchObject({ success: false, error: { message: expect.stringContaining('no main') } });
  expect(await executor.run(job('nodejs', 'export const x = 1;'))).toMatchObject({ success: false, error: { message: expect.stringContaining('no main') } });
});

it('fails a script that exits before main returns, even with code 0', async () => {
  const r = await executor.run(job('python3', 'import sys\ndef main():\n    sys.exit(0)'));
  expect(r).toMatchObject({ success: false, error: { name: ExecutionErrorCode.NonZeroExit, message: expect.stringContaining('before main returned') } });
  const n = await executor.run(job('nodejs', 'export function main() { process.exit(4); }'));
  expect(n).toMatchObject({ success: false, error: { name: ExecutionErrorCode.NonZeroExit, message: expect.stringContaining('code 4') } });
});

it('fails a result that is not JSON-serialisable', async () => {
  expect(await executor.run(job('python3', 'def main():\n    return object()'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultNotSerializable } });
  expect(await executor.run(job('python3', 'def main():\n    return float("nan")'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultNotSerializable } });
  expect(await executor.run(job('nodejs', 'export function main() { return 10n; }'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultNotSerializable } });
  expect(await executor.run(job('nodejs', 'export function main() { return () => 1; }'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultNotSerializable } });
  const circular = 'export function main() { const o = {}; o.self = o; return o; }';
  expect(await executor.run(job('nodejs', circular))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultNotSerializable } });
});

it('fails a result over the size limit', async () => {
  expect(await executor.run(job('python3', 'def main():\n    return "x" * 5000'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultTooLarge } });
  expect(await executor.run(job('nodejs', 'export function main() { return "y".repeat(5000); }'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultTooLarge } });
  expect(await executor.run(job('bash', 'printf "z%.0s" $(seq 1 5000); echo'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultTooLarge } });
  expect(await executor.run(job('bash', 'head -c 5000 /dev/zero | tr "\\0" "1" > result.json'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.ResultTooLarge } });
});

it('fails a bash result.json that is not JSON', async () => {
  expect(await executor.run(job('bash', 'echo "{oops" > result.json'))).toMatchObject({ success: false, error: { name: ExecutionErrorCode.InvalidResult } });
});

it('refuses a result.json that is a symbolic link or not a regular file, without reading what it points at', async () => {
  const secret = scratch.file('secret.json');
  writeFileSync(secret, '{"password":"hunter2"}');
  const linked = await executor.run(job('bash', `ln -s ${secret} result.json`));
  expect(linked).toMatchObject({ success: false, error: { name: ExecutionErrorCode.InvalidResult, message: expect.stringContaining('symbolic link') } });
  expect(JSON.stringify(linked)).not.toContain('hunter2');
  const fifo = await executor.run(job('bash', 'mkfifo result.json'));
  expect(fifo).toMatchObject({ success: false, error: { name: ExecutionErrorCode.InvalidResult, message: expect.stringContaining('not a regular file') } });
});

describe.each([
  ['through the job launcher', true],
  ['forked by the worker itself', false],
])('a process that cannot be started %s', (_how, useLauncher) => {
  it('fails cleanly when the interpreter cannot be started', async () => {
    const broken = scratch.executor({ bashCommand: 'millrace-no-such-shell', useLauncher });
    const r = await broken.run(job('bash', 'echo hi'));
    expect(r).toMatchObject({ success: false, error: { name: ExecutionErrorCode.SpawnFailed, message: expect.stringContaining('ENOENT') } });
  });

  it('fails cleanly when an argument cannot be passed to a process', async () => {
    const r = await scratch.executor({ useLauncher }).run(job('bash', 'echo "$1"', { a: 'nul\u0000byte' }));
    expect(r).toMatchObject({ success: false, error: { name: ExecutionErrorCode.SpawnFailed, message: expect.stringContaining('null bytes') } });
  });
});

it('removes every job directory afterwards, failed or not', () => {
  expect(scratch.leftoverJobDirs()).toEqual([]);
});
