import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface ExitedProcess {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Repository root, from this file's location. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Runs a built app (`dist/apps/<app>/main.js`) as a real process with exactly `env` (plus PATH). */
export function spawnBuiltApp(app: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(REPO_ROOT, 'dist/apps', app, 'main.js')], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a process's output until it exits; kills it with SIGKILL after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs = 20_000): Promise<ExitedProcess> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
