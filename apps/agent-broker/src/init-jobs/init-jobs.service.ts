import { Injectable } from '@nestjs/common';
import { JobOutcome, PgJobQueue } from '@millrace/queue';
import type { AgentIdentity } from '../auth/agent-identity';
import type { RecordInitJobDto } from './dto/record-init-job.dto';

/** Init jobs are recorded in the superadmins' workspace, like the platform's own jobs. */
export const INIT_JOB_WORKSPACE = 'admins';

/**
 * Records an agent's INIT_SCRIPT run as a completed `init` job, so it shows in the job list
 * with its logs like any job. The agent ran it before it could pull anything; the broker
 * pushes, claims and completes it on the agent's behalf. The job's tag is the agent's own
 * name, which no worker serves, so no one else can pick it up in between.
 */
@Injectable()
export class InitJobsService {
  constructor(private readonly queue: PgJobQueue) {}

  async record(agent: AgentIdentity, dto: RecordInitJobDto): Promise<{ id: string }> {
    const id = await this.queue.push({
      workspaceId: INIT_JOB_WORKSPACE,
      kind: 'init',
      language: 'bash',
      content: dto.content,
      args: {},
      tag: agent.worker,
      createdBy: agent.worker,
    });
    const [claimed] = await this.queue.claim({ worker: agent.worker, tags: [agent.worker], limit: 1 });
    if (!claimed || claimed.id !== id) throw new Error(`init job ${id} could not be claimed for ${agent.worker}`);
    if (dto.logs) await this.queue.appendLogs(id, claimed.claimId, 0, dto.logs);
    const outcome: JobOutcome = dto.success
      ? { success: true, result: dto.result ?? null, durationMs: dto.duration_ms }
      : { success: false, error: errorOf(dto.result), durationMs: dto.duration_ms };
    await this.queue.complete(id, claimed.claimId, outcome);
    return { id };
  }
}

function errorOf(result: unknown): { message: string; name?: string; stack?: string } {
  if (typeof result === 'object' && result !== null && typeof (result as { message?: unknown }).message === 'string') {
    const r = result as { message: string; name?: unknown; stack?: unknown };
    return { message: r.message, ...(typeof r.name === 'string' ? { name: r.name } : {}), ...(typeof r.stack === 'string' ? { stack: r.stack } : {}) };
  }
  return { message: typeof result === 'string' ? result : 'INIT_SCRIPT failed' };
}
