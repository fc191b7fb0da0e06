import { Injectable, PayloadTooLargeException } from '@nestjs/common';
import { ClaimedJob, ClaimRequest, JobError, JobOutcome, PgJobQueue } from '@millrace/queue';
import type { JobGrant } from '../auth/job-token.service';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { PushLogsDto } from './dto/push-logs.dto';
import { SendResultDto } from './dto/send-result.dto';

export interface JobStatusReply {
  canceled_by?: string;
  canceled_reason?: string;
  already_completed: boolean;
}

/** A failed job's result is its error when it looks like one (`{message, name?, stack?}`). */
function errorOf(result: unknown): JobError {
  if (typeof result === 'object' && result !== null && typeof (result as { message?: unknown }).message === 'string') {
    const r = result as { message: string; name?: unknown; stack?: unknown };
    return { message: r.message, ...(typeof r.name === 'string' ? { name: r.name } : {}), ...(typeof r.stack === 'string' ? { stack: r.stack } : {}) };
  }
  if (typeof result === 'string' && result !== '') return { message: result };
  return { message: 'the job failed without an error message' };
}

/** The job routes: everything goes through the claim the job token carries. */
@Injectable()
export class AgentJobsService {
  constructor(
    private readonly queue: PgJobQueue,
    private readonly config: AgentBrokerConfig,
  ) {}

  async status(grant: JobGrant): Promise<JobStatusReply> {
    const beat = await this.queue.heartbeat(grant.jobId, grant.claimId);
    const reply: JobStatusReply = { already_completed: beat.alreadyCompleted };
    if (beat.canceledBy !== null) reply.canceled_by = beat.canceledBy;
    if (beat.canceledReason !== null) reply.canceled_reason = beat.canceledReason;
    return reply;
  }

  async pushLogs(grant: JobGrant, dto: PushLogsDto): Promise<{ offset: number }> {
    const bytes = Buffer.byteLength(dto.logs, 'utf8');
    if (bytes > this.config.LOG_CHUNK_MAX_BYTES) {
      throw new PayloadTooLargeException(`logs: a chunk may hold at most ${this.config.LOG_CHUNK_MAX_BYTES} bytes (got ${bytes}); send smaller chunks`);
    }
    return this.queue.appendLogs(grant.jobId, grant.claimId, dto.offset, dto.logs);
  }

  async release(grant: JobGrant): Promise<{ released: boolean }> {
    const n = await this.queue.release([{ jobId: grant.jobId, claimId: grant.claimId }]);
    return { released: n === 1 };
  }

  async sendResult(grant: JobGrant, dto: SendResultDto): Promise<{ repeated: boolean }> {
    return this.queue.complete(grant.jobId, grant.claimId, outcomeOf(grant, dto));
  }

  /** sendResult, and one more job claimed for `next` in the same statement (send_result?next=true). */
  async sendResultAndClaim(grant: JobGrant, dto: SendResultDto, next: Omit<ClaimRequest, 'limit'>): Promise<{ repeated: boolean; next: ClaimedJob | null }> {
    return this.queue.completeAndClaim(grant.jobId, grant.claimId, outcomeOf(grant, dto), next);
  }
}

function outcomeOf(grant: JobGrant, dto: SendResultDto): JobOutcome {
  // The agent the job token names ran it, whatever name the claim was first made under.
  const common = { result: dto.result ?? null, durationMs: dto.duration_ms, memPeak: dto.mem_peak, worker: grant.worker };
  return dto.success ? { success: true, ...common } : { success: false, ...common, error: errorOf(dto.result), canceledBy: dto.canceled_by };
}
