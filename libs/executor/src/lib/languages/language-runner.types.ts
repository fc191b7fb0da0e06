import type { ExecutionError, ExecutionJob } from '../execution.types';
import type { JobDirectory } from '../temp-dirs.service';
import type { ExecutorSettings } from '../executor.settings';

/** How to start a prepared job. */
export interface LaunchPlan {
  command: string;
  args: string[];
  /** Language defaults for the environment (the group's env may override them). */
  env: Record<string, string>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the executor saw of the output, for results and error messages. */
export interface ObservedOutput {
  /** The last non-empty stdout line (`TOO_LONG` when over the result limit). */
  stdoutLastLine: string;
  /** The last lines of the merged log. */
  logTail: string;
}

export type RunOutcome = { success: true; result: unknown } | { success: false; error: ExecutionError };

/** One language: writes the job's files, says how to start it, reads its result. */
export interface LanguageRunner {
  prepare(job: ExecutionJob, dir: JobDirectory, settings: ExecutorSettings): Promise<LaunchPlan>;
  /** Called only for a process that exited on its own (not cancelled, not timed out). */
  interpret(exit: ProcessExit, dir: JobDirectory, output: ObservedOutput, settings: ExecutorSettings): Promise<RunOutcome>;
}
