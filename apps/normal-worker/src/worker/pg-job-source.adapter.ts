import type { ExecutionResult } from '@millrace/executor';
import { ClaimedJob, JobKind, PgJobQueue, PgWorkerPings, QueueError, QueueErrorCode } from '@millrace/queue';
import { JobSource, JobSourceError, JobSourceErrorCode, JobStatusReply, WorkerJob, WorkerPing } from '@millrace/worker-loop';
import type { GroupConfig } from './group-config.util';
import type { JobWakeup } from './job-wakeup.listener';
import type { WorkerIdentity } from './worker-identity.util';

/**
 * Kinds this worker does not run yet (the flow state machine and dependency jobs come in
 * later issues): it never claims them, so they wait in the queue for a worker that does.
 */
export const NOT_YET_SUPPORTED_KINDS: readonly JobKind[] = ['flow', 'dependency'];

/** The normal worker's transport: the queue in PostgreSQL, claimed directly. */
export class PgJobSource implements JobSource {
  constructor(
    private readonly queue: PgJobQueue,
    private readonly pings: PgWorkerPings,
    private readonly wakeup: JobWakeup,
    private readonly identity: WorkerIdentity,
    private readonly groupConfig: () => GroupConfig,
  ) {}

  async pull(signal: AbortSignal): Promise<WorkerJob | null> {
    // Armed before the claim: a push landing between an empty claim and the wait still wakes it.
    this.wakeup.arm();
    const job = await this.claimOne();
    if (job) return job;
    await this.wakeup.wait(signal);
    if (signal.aborted) return null;
    // Claim right after the wake-up: returning empty-handed would cost the loop's empty-pull
    // pause (50 ms) on every job that arrives while the worker is idle.
    return this.claimOne();
  }

  private async claimOne(): Promise<WorkerJob | null> {
    const [job] = await this.queue.claim({ worker: this.identity.name, tags: this.groupConfig().tags, limit: 1, excludeKinds: NOT_YET_SUPPORTED_KINDS });
    return job ? toWorkerJob(job) : null;
  }

  heartbeat(job: WorkerJob): Promise<JobStatusReply> {
    return claimBound(() => this.queue.heartbeat(job.id, job.claimId));
  }

  async appendLogs(job: WorkerJob, offset: number, text: string): Promise<void> {
    await claimBound(async () => {
      try {
        await this.queue.appendLogs(job.id, job.claimId, offset, text);
      } catch (err) {
        // Only if an earlier chunk was given up: keep later output, appended where the log ends.
        if (!(err instanceof QueueError && err.code === QueueErrorCode.LogOffsetGap && err.serverOffset !== undefined)) throw err;
        await this.queue.appendLogs(job.id, job.claimId, err.serverOffset, text);
      }
    });
  }

  async complete(job: WorkerJob, outcome: ExecutionResult): Promise<void> {
    await claimBound(async () => {
      try {
        await this.queue.complete(job.id, job.claimId, outcome);
      } catch (err) {
        // An outcome the queue refuses would be refused on every retry: report why instead.
        if (!(err instanceof QueueError && err.code === QueueErrorCode.InvalidJob)) throw err;
        await this.queue.complete(job.id, job.claimId, {
          success: false,
          error: { name: 'InvalidResult', message: `the job's outcome could not be stored: ${err.message}` },
          durationMs: outcome.durationMs,
        });
      }
    });
  }

  async ping(ping: WorkerPing): Promise<void> {
    await this.pings.upsertMany([
      {
        worker: this.identity.name,
        workerInstance: ping.workerInstance,
        workerGroup: this.identity.group,
        kind: 'normal',
        tags: this.groupConfig().tags,
        currentJobId: ping.currentJobId,
        jobsExecuted: ping.jobsExecuted,
        memoryBytes: ping.memoryBytes,
        version: ping.version,
        ip: ping.ip,
        occupancy: ping.occupancy,
      },
    ]);
  }
}

function toWorkerJob(job: ClaimedJob): WorkerJob {
  return {
    id: job.id,
    workspaceId: job.workspaceId,
    kind: job.kind,
    language: job.language,
    content: job.content,
    args: job.args,
    timeoutS: job.timeoutS,
    // Job-scoped tokens are minted by the agent-broker only so far; see the issue report.
    token: '',
    claimId: job.claimId,
  };
}

/** Runs a claim-bound queue call; a claim that no longer holds the job becomes ClaimLost. */
async function claimBound<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof QueueError && (err.code === QueueErrorCode.StaleClaim || err.code === QueueErrorCode.NotFound)) {
      throw new JobSourceError(JobSourceErrorCode.ClaimLost, err.message);
    }
    throw err;
  }
}
