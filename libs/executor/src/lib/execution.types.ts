import type { ScriptLanguage } from '@millrace/tags';

export type { ScriptLanguage };

/** What the executor needs to run one job's code. */
export interface ExecutionJob {
  id: string;
  workspaceId: string;
  language: ScriptLanguage;
  content: string;
  args: Record<string, unknown>;
  /**
   * Argument names in the order `main` (or bash's positional parameters) takes them. When
   * absent: bash follows the script's `name="$1"` assignments, then the args' key order;
   * Node parses `main`'s parameter list; Python passes keywords, so order does not matter.
   */
  argOrder?: readonly string[];
  /** Seconds before the job is cancelled with reason `timeout`; absent or null: no limit. */
  timeoutS?: number | null;
  /** The job-scoped token, handed to the job as `WM_TOKEN`. */
  token: string;
  /** The worker group's environment for jobs; cannot override the `WM_*` variables. */
  env?: Readonly<Record<string, string>>;
}

export interface ExecutionError {
  message: string;
  name?: string;
  stack?: string;
}

/**
 * How a run ended. Structurally the same as `JobOutcome` in @millrace/queue (which this
 * shared library must not import), so a worker can hand it over unchanged.
 */
export type ExecutionResult =
  | { success: true; result: unknown; durationMs: number }
  | {
      success: false;
      error: ExecutionError;
      result?: unknown;
      durationMs: number;
      canceledBy?: string;
      canceledReason?: string;
    };

/** Who cancelled a run and why; a timeout is `{ by: 'timeout', reason: 'timeout' }`. */
export interface CancelRequest {
  by: string;
  reason?: string;
}

export interface ExecutionHooks {
  /**
   * Receives the merged stdout+stderr in arrival order, in batches. Calls never overlap and
   * the run's result settles only after the last batch was delivered. It should not reject
   * (the caller owns retries); a rejected batch is dropped.
   */
  onLogs?: (chunk: string) => void | Promise<void>;
  /** Aborting cancels the run; `signal.reason` (a string or a CancelRequest) says why. */
  signal?: AbortSignal;
}

/** A run in progress. */
export interface RunningExecution {
  readonly jobId: string;
  /** Settles once the process group is gone, the logs are delivered and the directory removed. */
  readonly done: Promise<ExecutionResult>;
  /** SIGTERM to the process group, SIGKILL after the grace period; later calls are ignored. */
  cancel(request: CancelRequest): void;
}
