import type { ExecutionResult, ScriptLanguage } from '@millrace/executor';
import type { JobKind } from '@millrace/tags';

/** A job as a worker receives it from its transport, with what the executor needs. */
export interface WorkerJob {
  id: string;
  workspaceId: string;
  kind: JobKind;
  language: ScriptLanguage | null;
  content: string | null;
  args: Record<string, unknown>;
  /** Argument names in `main`'s order, when the transport knows them. */
  argOrder?: readonly string[];
  timeoutS: number | null;
  /** The job-scoped token, handed to the job as WM_TOKEN. */
  token: string;
  /** Binds heartbeats, logs and completion to this claim. */
  claimId: string;
}

/** The reply to a job heartbeat (API.md `ping_job_status`). */
export interface JobStatusReply {
  canceledBy?: string | null;
  canceledReason?: string | null;
  /** The job was completed elsewhere (e.g. force-cancelled): stop running it, do not report it. */
  alreadyCompleted: boolean;
}

export type PingType = 'initial' | 'main_loop' | 'job';

/** A worker's periodic report about itself (API.md `update_ping`, camelCased). */
export interface WorkerPing {
  pingType: PingType;
  version: string;
  workerInstance: string;
  ip: string | null;
  memoryBytes: number;
  currentJobId: string | null;
  jobsExecuted: number;
  /** Share of slot time spent running jobs since the previous ping, 0..1. */
  occupancy: number;
}

/**
 * The worker's transport: PostgreSQL for normal workers, HTTP to the broker for agents.
 *
 * A call that fails for a transient reason throws anything; the loop logs it and retries
 * with backoff. Throw `JobSourceError` to say more: `ClaimLost` (this worker no longer holds
 * the job: stop it, report nothing) or `Fatal` (this worker cannot go on: the loop stops).
 */
export interface JobSource {
  /**
   * The next job for this worker, or null after waiting a while (a long poll) with none.
   * Must resolve promptly once `signal` aborts (the loop is stopping).
   *
   * `prefetch: true` (only asked of a source with `release`, with `WorkerLoopSettings.prefetch`
   * on): every slot is busy and the loop wants its next job ready for when one frees. The
   * server may favour idle workers — give such a pull only work no idle worker is waiting
   * for, or nothing. The loop may hold the job a while and then `release` it unstarted.
   */
  pull(signal: AbortSignal, options?: PullOptions): Promise<WorkerJob | null>;
  /**
   * Gives back a job this worker pulled but never started (a prefetched job no slot freed
   * for in time, or one held when the worker stops): the server returns it to the queue for
   * any worker. Once called the loop never runs the job — whether the server released it or
   * found its claim already gone (cancelled, completed, requeued); either is a success.
   * Throwing `ClaimLost` says the claim is gone (the job is dropped too); any other error
   * leaves the claim possibly still held, so the loop keeps the job and runs it when a slot
   * frees. Optional: without it the loop never prefetches.
   */
  release?(job: WorkerJob): Promise<void>;
  heartbeat(job: WorkerJob): Promise<JobStatusReply>;
  /**
   * Appends `text` to the job's log. `offset` is the UTF-8 byte count already stored before
   * this chunk; a retry of a chunk reuses its offset, so storing it twice must be a no-op.
   */
  appendLogs(job: WorkerJob, offset: number, text: string): Promise<void>;
  /** Reports the outcome; repeating the same completion must be harmless. */
  complete(job: WorkerJob, outcome: ExecutionResult): Promise<void>;
  ping(ping: WorkerPing): Promise<void>;
  /**
   * True when the server records each pull as a sign of life (the agent broker refreshes the
   * worker's `last_ping` on every `pull_job`; a database source does not). The loop then
   * skips a `main_loop` ping that a pull stands in for, but still sends one at least every
   * `fullPingIntervalMs`. Absent or false: every `main_loop` ping is sent.
   */
  readonly pullRefreshesPing?: boolean;
}

/** How the loop asks for a job (see `JobSource.pull`). */
export interface PullOptions {
  /** Every slot is busy: the job is wanted ahead of time, and may be released unstarted. */
  prefetch?: boolean;
}

/** Where the loop reports what it cannot throw. */
export interface WorkerLoopLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
