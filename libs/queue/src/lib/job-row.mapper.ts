import type { ClaimedJob, JobError, JobKind, JobView, ScriptLanguage } from './queue.types';

/** A row of the claim statement (claimJobsStatement). */
export interface ClaimedJobRow {
  id: string;
  workspace_id: string;
  kind: JobKind;
  path: string | null;
  language: ScriptLanguage | null;
  content: string | null;
  lock: string | null;
  args: Record<string, unknown>;
  tag: string;
  priority: number;
  timeout_s: number | null;
  parent_job: string | null;
  root_job: string | null;
  flow_step_id: string | null;
  created_by: string;
  /** Epoch milliseconds (see claim-jobs.sql.ts). */
  created_at_ms: number;
  scheduled_for_ms: number;
  claim_id: string;
  started_at_ms: number;
  restarts: number;
}

/** A row of GET_JOB / LIST_JOBS (JOB_VIEW_COLUMNS). */
export interface JobViewRow {
  id: string;
  workspace_id: string;
  kind: JobKind;
  path: string | null;
  language: ScriptLanguage | null;
  tag: string;
  priority: number;
  args: Record<string, unknown>;
  created_by: string;
  created_at: Date;
  scheduled_for: Date;
  parent_job: string | null;
  root_job: string | null;
  flow_step_id: string | null;
  completed: boolean;
  running: boolean;
  success: boolean | null;
  result: unknown;
  error: JobError | null;
  canceled_by: string | null;
  canceled_reason: string | null;
  worker: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  duration_ms: number | null;
  restarts: number;
}

/**
 * A Date from epoch milliseconds as the claim returns them (`date_part('epoch', t) * 1000`):
 * the stored instant is a whole number of microseconds, and the float is within 0.4 µs of it
 * until about 2100, so adding half a microsecond before flooring gives exactly the
 * millisecond node-postgres's own parser gives (it truncates the microseconds).
 */
function fromEpochMs(ms: number): Date {
  return new Date(Math.floor(ms + 0.0005));
}

export function toClaimedJob(row: ClaimedJobRow, worker: string): ClaimedJob {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    path: row.path,
    language: row.language,
    content: row.content,
    lock: row.lock,
    args: row.args,
    tag: row.tag,
    priority: row.priority,
    timeoutS: row.timeout_s,
    parentJob: row.parent_job,
    rootJob: row.root_job,
    flowStepId: row.flow_step_id,
    createdBy: row.created_by,
    createdAt: fromEpochMs(row.created_at_ms),
    scheduledFor: fromEpochMs(row.scheduled_for_ms),
    claimId: row.claim_id,
    worker,
    startedAt: fromEpochMs(row.started_at_ms),
    restarts: row.restarts,
  };
}

export function toJobView(row: JobViewRow): JobView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.completed ? 'CompletedJob' : 'QueuedJob',
    kind: row.kind,
    path: row.path,
    language: row.language,
    tag: row.tag,
    priority: row.priority,
    args: row.args,
    running: row.running,
    success: row.success,
    canceled: row.canceled_by !== null,
    canceledBy: row.canceled_by,
    canceledReason: row.canceled_reason,
    // A completed job's result may legitimately be JSON null; a queued one has none yet.
    result: row.completed ? row.result : null,
    error: row.error,
    worker: row.worker,
    createdBy: row.created_by,
    createdAt: row.created_at,
    scheduledFor: row.scheduled_for,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    durationMs: row.duration_ms,
    parentJob: row.parent_job,
    rootJob: row.root_job,
    flowStepId: row.flow_step_id,
    restarts: row.restarts,
  };
}
