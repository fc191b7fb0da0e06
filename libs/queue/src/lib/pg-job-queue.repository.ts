import type { Pool } from 'pg';
import { isValidTag, JOB_KINDS } from '@millrace/tags';
import { isUuid, sameId } from './ids.util';
import { canceledFinish, FinishedJob, FinishedJobRow, JobFinish, outcomeToFinish, toFinishedJob, toFinishParams } from './job-finish.util';
import { JobReads } from './job-reads.repository';
import { ClaimedJobRow, toClaimedJob } from './job-row.mapper';
import { appendLogChunk } from './log-append.util';
import { NEW_JOBS_CHANNEL } from './queue.channels';
import { isPgError, notFound, QueueError, QueueErrorCode, staleClaim } from './queue.error';
import type { Queryable } from './queryable.types';
import type {
  CancelRequest,
  CancelResult,
  ClaimedJob,
  ClaimRequest,
  CompletionHook,
  HeartbeatReply,
  JobListFilter,
  JobOutcome,
  JobView,
  NewJob,
} from './queue.types';
import { toPushColumns } from './new-job.validation';
import { ASSIGN_WORKERS } from './sql/assign-workers.sql';
import { claimJobsStatement } from './sql/claim-jobs.sql';
import { COMPLETED_IN_WORKSPACE } from './sql/completed-in-workspace.sql';
import { finishAndClaimStatement } from './sql/finish-and-claim.sql';
import { FINISH_JOBS, FINISH_JOBS_COUNT } from './sql/finish-jobs.sql';
import { FLAG_CANCEL } from './sql/flag-cancel.sql';
import { HEARTBEAT } from './sql/heartbeat.sql';
import { JOB_STATE } from './sql/job-state.sql';
import { LOCK_FOR_CANCEL } from './sql/lock-for-cancel.sql';
import { PUSH_JOBS } from './sql/push-jobs.sql';
import { RELEASE_CLAIMS } from './sql/release-claims.sql';
import { REQUEST_COMPLETION_NOTICE } from './sql/request-completion-notice.sql';

const MAX_CLAIM = 1000;
const UNIQUE_VIOLATION = '23505';

export interface PgJobQueueOptions {
  /** A completion hook threw; the job stays completed. Default: a process warning. */
  onHookError?: (error: unknown, job: FinishedJob) => void;
}

interface JobStateRow {
  workspace_id: string;
  queued: boolean;
  queue_claim_id: string | null;
  completed: boolean;
  completed_claim_id: string | null;
  canceled_by: string | null;
  canceled_reason: string | null;
}

/** A held job RELEASE_CLAIMS did not queue again because it was asked to cancel. */
interface FlaggedRow {
  id: string;
  claim_id: string;
  canceled_by: string;
  canceled_reason: string | null;
}

/**
 * The queue on PostgreSQL (raw, parameterised SQL on the app's pool). Every write is one
 * statement, hence one transaction with at most one NOTIFY per channel, except cancel.
 */
export class PgJobQueue {
  private readonly hooks = new Set<CompletionHook>();
  private readonly reads: JobReads;

  constructor(
    private readonly pool: Pool,
    private readonly options: PgJobQueueOptions = {},
  ) {
    this.reads = new JobReads(pool);
  }

  async push(job: NewJob): Promise<string> {
    const [id] = await this.pushMany([job]);
    if (id === undefined) throw new Error('pushMany returned no id for one job');
    return id;
  }

  /** All or nothing: one statement inserting every job, one NOTIFY with their distinct tags. */
  async pushMany(jobs: NewJob[]): Promise<string[]> {
    if (jobs.length === 0) return [];
    const columns = toPushColumns(jobs);
    try {
      await this.pool.query({ ...PUSH_JOBS, values: [...columns.values, NEW_JOBS_CHANNEL] });
    } catch (error) {
      if (isPgError(error, UNIQUE_VIOLATION)) throw new QueueError(QueueErrorCode.InvalidJob, 'id: a job with this id already exists');
      throw error;
    }
    return columns.ids;
  }

  async claim(req: ClaimRequest): Promise<ClaimedJob[]> {
    if (!Number.isInteger(req.limit) || req.limit < 1 || req.limit > MAX_CLAIM) {
      throw new QueueError(QueueErrorCode.InvalidJob, `limit: must be an integer from 1 to ${MAX_CLAIM}`);
    }
    const { tags, excluded } = claimFilters(req);
    if (tags.length === 0) return [];
    const { rows } = await this.pool.query<ClaimedJobRow>({ ...claimJobsStatement(req.limit, excluded), values: [tags, req.limit, req.worker] });
    return rows.map((row) => toClaimedJob(row, req.worker));
  }

  /**
   * Gives back claimed jobs that no worker received (they never ran, so `restarts` stays):
   * queued again, their claims dead; a job asked to cancel meanwhile is completed as canceled
   * instead (nobody would run it for long). Returns how many were still held: those no
   * longer belong to the caller either way.
   */
  async release(claims: ReadonlyArray<{ jobId: string; claimId: string }>): Promise<number> {
    const held = claims.filter((c) => isUuid(c.jobId) && isUuid(c.claimId));
    if (held.length === 0) return 0;
    const { rows } = await this.pool.query<{ released: number; flagged: FlaggedRow[] | null }>({
      ...RELEASE_CLAIMS,
      values: [held.map((c) => c.jobId), held.map((c) => c.claimId), NEW_JOBS_CHANNEL],
    });
    const flagged = rows[0]?.flagged ?? [];
    const canceled = await this.finish(flagged.map((f) => canceledFinish(f.id, f.claim_id, f.canceled_by, f.canceled_reason, ' before it started')));
    return (rows[0]?.released ?? 0) + canceled.length;
  }

  /**
   * After one claim made for several workers, records which worker got each job (shown in
   * views and zombie errors). Returns how many rows were still held and updated.
   */
  async assignWorkers(items: ReadonlyArray<{ jobId: string; claimId: string; worker: string }>): Promise<number> {
    const held = items.filter((i) => isUuid(i.jobId) && isUuid(i.claimId) && typeof i.worker === 'string' && i.worker !== '');
    if (held.length === 0) return 0;
    const { rowCount } = await this.pool.query({ ...ASSIGN_WORKERS, values: [held.map((i) => i.jobId), held.map((i) => i.claimId), held.map((i) => i.worker)] });
    return rowCount ?? 0;
  }

  async heartbeat(jobId: string, claimId: string): Promise<HeartbeatReply> {
    if (!isUuid(jobId)) throw notFound(String(jobId));
    if (!isUuid(claimId)) throw staleClaim(jobId);
    const { rows } = await this.pool.query<{ canceled_by: string | null; canceled_reason: string | null }>({ ...HEARTBEAT, values: [jobId, claimId] });
    if (rows[0]) return { canceledBy: rows[0].canceled_by, canceledReason: rows[0].canceled_reason, alreadyCompleted: false };
    const state = await this.state(jobId);
    if (state?.completed && sameId(state.completed_claim_id, claimId)) {
      return { canceledBy: state.canceled_by, canceledReason: state.canceled_reason, alreadyCompleted: true };
    }
    throw state ? staleClaim(jobId) : notFound(jobId);
  }

  /** `offset`: UTF-8 bytes of log this claim stored before `text`. Returns the stored size. */
  async appendLogs(jobId: string, claimId: string, offset: number, text: string): Promise<{ offset: number }> {
    if (!isUuid(jobId)) throw notFound(String(jobId));
    if (!isUuid(claimId)) throw staleClaim(jobId);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new QueueError(QueueErrorCode.InvalidJob, 'offset: must be a whole number of bytes');
    if (typeof text !== 'string') throw new QueueError(QueueErrorCode.InvalidJob, 'logs: must be a string');
    const stored = await appendLogChunk(this.pool, jobId, claimId, offset, Buffer.from(text, 'utf8'));
    if (stored === null) throw (await this.state(jobId)) ? staleClaim(jobId) : notFound(jobId);
    return { offset: stored };
  }

  async complete(jobId: string, claimId: string, outcome: JobOutcome): Promise<{ repeated: boolean }> {
    if (!isUuid(jobId)) throw notFound(String(jobId));
    if (!isUuid(claimId)) throw staleClaim(jobId);
    if ((await this.finishCount([outcomeToFinish(jobId, claimId, outcome)])) === 1) return { repeated: false };
    const state = await this.state(jobId);
    if (state?.completed && sameId(state.completed_claim_id, claimId)) return { repeated: true };
    throw state ? staleClaim(jobId) : notFound(jobId);
  }

  /**
   * `complete`, then `claim` of one more job for `next.worker` — in one statement and one
   * transaction (finishAndClaimStatement) when it can: an agent's result with its next job
   * (send_result?next=true) costs one round trip and one commit instead of two. The next job is
   * claimed only once the result is stored: a stale claim throws as `complete` does and claims
   * nothing; a repeated result (stored before by this claim) claims on its own afterwards.
   * With completion hooks (they need the finished rows) it is `complete` then `claim`.
   */
  async completeAndClaim(jobId: string, claimId: string, outcome: JobOutcome, next: Omit<ClaimRequest, 'limit'>): Promise<{ repeated: boolean; next: ClaimedJob | null }> {
    if (!isUuid(jobId)) throw notFound(String(jobId));
    if (!isUuid(claimId)) throw staleClaim(jobId);
    const { tags, excluded } = claimFilters(next);
    const claimOne = async () => (tags.length === 0 ? null : ((await this.claim({ ...next, limit: 1 }))[0] ?? null));
    if (this.hooks.size > 0 || tags.length === 0) {
      const { repeated } = await this.complete(jobId, claimId, outcome);
      return { repeated, next: await claimOne() };
    }
    const { rows } = await this.pool.query<{ finished: number } & Partial<ClaimedJobRow>>({
      ...finishAndClaimStatement(excluded),
      values: [...toFinishParams([outcomeToFinish(jobId, claimId, outcome)]), tags, next.worker],
    });
    const row = rows[0];
    if (row?.finished === 1) return { repeated: false, next: row.id ? toClaimedJob(row as ClaimedJobRow, next.worker) : null };
    const state = await this.state(jobId);
    if (state?.completed && sameId(state.completed_claim_id, claimId)) return { repeated: true, next: await claimOne() };
    throw state ? staleClaim(jobId) : notFound(jobId);
  }

  /**
   * Completes many jobs in one statement. Items whose claim no longer holds the job (stale,
   * or already completed) are skipped; returns how many completed now.
   */
  async completeMany(items: Array<{ jobId: string; claimId: string; outcome: JobOutcome }>): Promise<number> {
    const seen = new Set<string>();
    const finishes: JobFinish[] = [];
    for (const item of items) {
      const key = `${item.jobId}/${item.claimId}`;
      if (!isUuid(item.jobId) || !isUuid(item.claimId) || seen.has(key)) continue;
      seen.add(key);
      finishes.push(outcomeToFinish(item.jobId, item.claimId, item.outcome));
    }
    return this.finishCount(finishes);
  }

  /**
   * Queued → completed as canceled at once; running → flagged for its worker (its next
   * heartbeat reply says so), or with `force` completed as canceled at once.
   */
  async cancel(workspaceId: string, jobId: string, req: CancelRequest): Promise<CancelResult> {
    if (!isUuid(jobId)) throw notFound(String(jobId));
    if (typeof req.by !== 'string' || req.by === '') throw new QueueError(QueueErrorCode.InvalidJob, 'by: is required');
    const reason = req.reason ?? null;
    const client = await this.pool.connect();
    let finished: FinishedJob[] = [];
    let result: CancelResult | 'absent';
    try {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ running: boolean; claim_id: string | null }>(LOCK_FOR_CANCEL, [jobId, workspaceId]);
        const row = rows[0];
        if (!row) {
          result = 'absent';
        } else if (row.running && !req.force) {
          await client.query(FLAG_CANCEL, [jobId, req.by, reason]);
          result = 'flagged';
        } else {
          finished = await this.finishIn(client, [canceledFinish(jobId, row.claim_id, req.by, reason)]);
          result = 'canceled';
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
    if (result === 'absent') {
      const { rows } = await this.pool.query<{ completed: boolean }>(COMPLETED_IN_WORKSPACE, [jobId, workspaceId]);
      if (rows[0]?.completed) throw new QueueError(QueueErrorCode.AlreadyCompleted, `job ${jobId} has already completed`);
      throw notFound(jobId);
    }
    await this.runHooks(finished);
    return result;
  }

  /**
   * Asks for a completion NOTIFY on `JOB_COMPLETED_CHANNEL` for this job (completions are
   * silent otherwise). CompletionWaiter calls it before it checks the job's state.
   */
  async requestCompletionNotice(jobId: string): Promise<void> {
    if (!isUuid(jobId)) return;
    await this.pool.query(REQUEST_COMPLETION_NOTICE, [jobId]);
  }

  get(workspaceId: string, jobId: string): Promise<JobView | null> {
    return this.reads.get(workspaceId, jobId);
  }

  /** Newest first. */
  list(workspaceId: string, filter: JobListFilter): Promise<JobView[]> {
    return this.reads.list(workspaceId, filter);
  }

  getLogs(workspaceId: string, jobId: string): Promise<string | null> {
    return this.reads.getLogs(workspaceId, jobId);
  }

  /**
   * Called after commit for every job this process completes (worker outcome, cancel,
   * monitor), awaited before the completing call returns. Returns the unsubscribe function.
   */
  onCompleted(hook: CompletionHook): () => void {
    this.hooks.add(hook);
    return () => {
      this.hooks.delete(hook);
    };
  }

  /**
   * Completes jobs still held by the given claims, in one statement and one transaction of
   * its own, then runs the completion hooks. For the monitor; workers use complete*.
   */
  async finish(items: readonly JobFinish[], db: Queryable = this.pool): Promise<FinishedJob[]> {
    const finished = await this.finishIn(db, items);
    await this.runHooks(finished);
    return finished;
  }

  /** Like finish, for callers who need only how many completed: no rows back unless a hook needs them. */
  private async finishCount(items: readonly JobFinish[]): Promise<number> {
    if (this.hooks.size > 0) return (await this.finish(items)).length;
    if (items.length === 0) return 0;
    const { rows } = await this.pool.query<{ finished: number }>({ ...FINISH_JOBS_COUNT, values: toFinishParams(items) });
    return rows[0]?.finished ?? 0;
  }

  /** FINISH_JOBS without hooks: for callers inside a transaction, who run them after commit. */
  private async finishIn(db: Queryable, items: readonly JobFinish[]): Promise<FinishedJob[]> {
    if (items.length === 0) return [];
    const { rows } = await db.query<FinishedJobRow>({ ...FINISH_JOBS, values: toFinishParams(items) });
    return rows.map(toFinishedJob);
  }

  private async runHooks(finished: readonly FinishedJob[]): Promise<void> {
    if (finished.length === 0 || this.hooks.size === 0) return;
    const hooks = [...this.hooks];
    await Promise.all(
      finished.flatMap((job) =>
        hooks.map(async (hook) => {
          try {
            await hook(job);
          } catch (error) {
            this.reportHookError(error, job);
          }
        }),
      ),
    );
  }

  private reportHookError(error: unknown, job: FinishedJob): void {
    if (this.options.onHookError) {
      this.options.onHookError(error, job);
      return;
    }
    process.emitWarning(`completion hook failed for job ${job.id}: ${error instanceof Error ? error.message : String(error)}`);
  }

  private async state(jobId: string): Promise<JobStateRow | null> {
    const { rows } = await this.pool.query<JobStateRow>({ ...JOB_STATE, values: [jobId] });
    return rows[0] ?? null;
  }
}

/** A claim's valid tags (deduplicated: a tag's range is read once) and excluded kinds; checks the worker. */
function claimFilters(req: Omit<ClaimRequest, 'limit'>): { tags: string[]; excluded: string[] } {
  if (typeof req.worker !== 'string' || req.worker === '') throw new QueueError(QueueErrorCode.InvalidJob, 'worker: is required');
  // Invalid tags can match nothing.
  const tags = [...new Set(req.tags)].filter(isValidTag);
  const excluded = (req.excludeKinds ?? []).filter((k) => (JOB_KINDS as readonly string[]).includes(k));
  return { tags, excluded };
}
