import type { JobKind, ScriptLanguage } from '@millrace/tags';

export type { JobKind, ScriptLanguage };

/** A job to insert. `tag` is already resolved (see @millrace/tags `resolveTag`). */
export interface NewJob {
  /** Generated when absent. */
  id?: string;
  workspaceId: string;
  kind: JobKind;
  path?: string | null;
  language?: ScriptLanguage | null;
  content?: string | null;
  lock?: string | null;
  args: Record<string, unknown>;
  tag: string;
  /** Higher runs first; default 0. */
  priority?: number;
  timeoutS?: number | null;
  parentJob?: string | null;
  rootJob?: string | null;
  flowStepId?: string | null;
  createdBy: string;
  /** Not claimable before this time; default now. */
  scheduledFor?: Date | null;
  /**
   * Announce the completion on JOB_COMPLETED_CHANNEL (for a caller that will wait on it).
   * Completions are silent otherwise; CompletionWaiter asks for it by itself.
   */
  notifyCompletion?: boolean;
}

/** What a worker receives when it claims a job. */
export interface ClaimedJob {
  id: string;
  workspaceId: string;
  kind: JobKind;
  path: string | null;
  language: ScriptLanguage | null;
  content: string | null;
  lock: string | null;
  args: Record<string, unknown>;
  tag: string;
  priority: number;
  timeoutS: number | null;
  parentJob: string | null;
  rootJob: string | null;
  flowStepId: string | null;
  createdBy: string;
  createdAt: Date;
  scheduledFor: Date;
  /** New on every claim; binds heartbeats, logs and completion to this claim. */
  claimId: string;
  worker: string;
  startedAt: Date;
  restarts: number;
}

export interface ClaimRequest {
  worker: string;
  /** Only jobs whose tag is one of these. */
  tags: readonly string[];
  /** At most this many jobs (1..1000). */
  limit: number;
  /** Kinds this worker must never receive (agents: flow, dependency). */
  excludeKinds?: readonly JobKind[];
}

export interface JobError {
  message: string;
  name?: string;
  stack?: string;
}

/**
 * `worker`: the worker that ran the job, recorded with the outcome when given (a broker claims
 * for many agents under one name and records who got each job after handing them out, so
 * the job's row may still carry the claimer's name when a fast job completes).
 */
export type JobOutcome =
  | { success: true; result: unknown; durationMs?: number; memPeak?: number; worker?: string }
  | { success: false; error: JobError; result?: unknown; durationMs?: number; memPeak?: number; canceledBy?: string; canceledReason?: string; worker?: string };

export interface HeartbeatReply {
  canceledBy: string | null;
  canceledReason: string | null;
  alreadyCompleted: boolean;
}

export interface CancelRequest {
  by: string;
  reason?: string;
  /** Complete a running job as canceled at once instead of flagging it for its worker. */
  force?: boolean;
}

export type CancelResult = 'canceled' | 'flagged';

/** A job as clients see it (API.md `jobs_u/get`), queued or completed. */
export interface JobView {
  id: string;
  workspaceId: string;
  type: 'QueuedJob' | 'CompletedJob';
  kind: JobKind;
  path: string | null;
  language: ScriptLanguage | null;
  tag: string;
  priority: number;
  args: Record<string, unknown>;
  running: boolean;
  success: boolean | null;
  canceled: boolean;
  canceledBy: string | null;
  canceledReason: string | null;
  result: unknown;
  error: JobError | null;
  worker: string | null;
  createdBy: string;
  createdAt: Date;
  scheduledFor: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  durationMs: number | null;
  parentJob: string | null;
  rootJob: string | null;
  flowStepId: string | null;
  restarts: number;
}

export interface JobListFilter {
  running?: boolean;
  success?: boolean;
  tag?: string;
  worker?: string;
  kinds?: JobKind[];
  /** 1-based. */
  page: number;
  perPage: number;
}

/** Called after a job completes (in the completing transaction's aftermath). */
export type CompletionHook = (job: { id: string; workspaceId: string; parentJob: string | null; success: boolean }) => Promise<void> | void;
