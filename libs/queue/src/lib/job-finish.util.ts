import { JOB_COMPLETED_CHANNEL } from './queue.channels';
import { toStorableJsonText } from './json.util';
import type { JobError, JobOutcome } from './queue.types';

/**
 * One job to complete through FINISH_JOBS: by a worker's outcome, a cancel, or the monitor.
 * `claimId` must be the claim holding the job (null for a job nobody claimed yet).
 */
export interface JobFinish {
  jobId: string;
  claimId: string | null;
  success: boolean;
  result?: unknown;
  error?: JobError | null;
  durationMs?: number | null;
  memPeak?: number | null;
  canceledBy?: string | null;
  canceledReason?: string | null;
  /** Recorded as the job's worker instead of the name its queue row carries. */
  worker?: string | null;
}

/** What completion hooks receive about a job that completed. */
export interface FinishedJob {
  id: string;
  workspaceId: string;
  parentJob: string | null;
  success: boolean;
}

export interface FinishedJobRow {
  id: string;
  workspace_id: string;
  success: boolean;
  parent_job: string | null;
}

export function outcomeToFinish(jobId: string, claimId: string, outcome: JobOutcome): JobFinish {
  const common = { jobId, claimId, durationMs: outcome.durationMs, memPeak: outcome.memPeak, result: outcome.result, worker: outcome.worker };
  if (outcome.success) return { ...common, success: true };
  return { ...common, success: false, error: outcome.error, canceledBy: outcome.canceledBy, canceledReason: outcome.canceledReason };
}

/**
 * A job completed as canceled by `by` (a user, `timeout`, …) without a worker's outcome:
 * cancelled while queued or with force, or released unstarted after a cancel was asked.
 */
export function canceledFinish(jobId: string, claimId: string | null, by: string, reason: string | null, note = ''): JobFinish {
  const message = `canceled by ${by}${reason ? `: ${reason}` : ''}${note}`;
  return { jobId, claimId, success: false, error: { name: 'Canceled', message }, canceledBy: by, canceledReason: reason };
}

/** A non-negative whole number, or NULL (a bogus figure from a worker is dropped, not stored). */
function count(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

function errorJson(error: JobError | null | undefined, success: boolean): string | null {
  if (success) return null;
  // A failure always has an error the user can read, even when a worker sent none.
  const e = error ?? { message: 'the job failed without an error message' };
  const normalized: JobError = { message: typeof e.message === 'string' ? e.message : String(e.message) };
  if (typeof e.name === 'string') normalized.name = e.name;
  if (typeof e.stack === 'string') normalized.stack = e.stack;
  return toStorableJsonText(normalized);
}

/** One element of FINISH_JOBS's JSON input; an absent key is SQL NULL. */
interface FinishInput {
  id: string;
  claim_id?: string;
  success: boolean;
  result?: string;
  error?: string;
  duration_ms?: number;
  mem_peak?: number;
  canceled_by?: string;
  canceled_reason?: string;
  worker?: string;
}

/**
 * The parameters of FINISH_JOBS for a batch whose job ids are distinct. Only the keys that
 * hold something are written (a JSON `null` result is stored as SQL NULL, read back the same):
 * a plain success is three keys instead of ten, half the bytes to build, send and parse.
 */
export function toFinishParams(items: readonly JobFinish[]): unknown[] {
  const rows = items.map((i) => {
    const row: FinishInput = { id: i.jobId, success: i.success };
    if (i.claimId !== null) row.claim_id = i.claimId;
    const result = toStorableJsonText(i.result);
    if (result !== null && result !== 'null') row.result = result;
    const error = errorJson(i.error, i.success);
    if (error !== null) row.error = error;
    const durationMs = count(i.durationMs);
    if (durationMs !== null) row.duration_ms = durationMs;
    const memPeak = count(i.memPeak);
    if (memPeak !== null) row.mem_peak = memPeak;
    if (i.canceledBy) row.canceled_by = i.canceledBy;
    if (i.canceledReason) row.canceled_reason = i.canceledReason;
    if (typeof i.worker === 'string' && i.worker !== '') row.worker = i.worker;
    return row;
  });
  return [JSON.stringify(rows), JOB_COMPLETED_CHANNEL];
}

export function toFinishedJob(row: FinishedJobRow): FinishedJob {
  return { id: row.id, workspaceId: row.workspace_id, parentJob: row.parent_job, success: row.success };
}
