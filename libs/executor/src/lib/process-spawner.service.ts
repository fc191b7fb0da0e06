import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The child's whole environment: nothing of the worker's own is inherited. */
  env: Record<string, string>;
}

/**
 * A job's process as the executor sees it: a `ChildProcess` when the worker spawns it
 * itself, a `LaunchedProcess` when the job launcher does (its pid then comes with 'spawn').
 */
export interface JobProcess {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  once(event: 'spawn', listener: () => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'close', listener: () => void): this;
}

/**
 * Starts job processes and signals their process groups; the one place that touches
 * `child_process`, so tests can observe or replace it.
 */
export class ProcessSpawner {
  /**
   * Spawns `command` as the leader of a new process group (`detached`), so cancelling the job
   * reaches every process it started, not just the interpreter. stdin is closed; stdout and
   * stderr are pipes. Throws synchronously on invalid input (e.g. a NUL byte in an argument).
   */
  spawn(request: SpawnRequest): JobProcess {
    return spawn(request.command, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  }

  /** Sends `signal` to the whole group led by `pid`; false when no process of it is left. */
  signalGroup(pid: number, signal: NodeJS.Signals): boolean {
    try {
      process.kill(-pid, signal);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  }
}
