import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './spawn-app';

/** Runs Jest on the fixture files with the Millrace environment; returns its exit and output. */
function runFixtures(): Promise<{ code: number | null; output: string }> {
  const config = path.join(REPO_ROOT, 'libs/testing/fixtures.jest.config.cjs');
  const jest = path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jest, '-c', config, '--runInBand', '--colors=false', '--forceExit'], { cwd: path.join(REPO_ROOT, 'libs/testing'), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the test harness fails a test file that leaves things open', () => {
  let run: { code: number | null; output: string };

  beforeAll(async () => {
    run = await runFixtures();
  }, 180_000);

  it('fails the run', () => {
    expect(run.code).not.toBe(0);
  });

  it('fails a file that leaves a server listening, naming it', () => {
    expect(run.output).toMatch(/FAIL .*leaks-server\.fixture\.ts/);
    expect(run.output).toMatch(/leaks-server\.fixture\.ts left open: 1 TCPServerWrap/);
  });

  it('fails a file that leaves a child process running, naming it', () => {
    expect(run.output).toMatch(/FAIL .*leaks-child\.fixture\.ts/);
    expect(run.output).toMatch(/leaks-child\.fixture\.ts left open: .*1 ProcessWrap/);
  });

  it('passes a file that closes what it opened', () => {
    expect(run.output).toMatch(/PASS .*clean\.fixture\.ts/);
    expect(run.output).not.toMatch(/clean\.fixture\.ts left open/);
  });
});
