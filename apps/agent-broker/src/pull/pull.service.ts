import { ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { ClaimedJob, ClaimRequest, PgJobQueue } from '@millrace/queue';
import type { ServerResponse } from 'node:http';
import type { AgentIdentity } from '../auth/agent-identity';
import { JobTokenService } from '../auth/job-token.service';
import { PingBatcher } from '../pings/ping-batcher.service';
import { AGENT_EXCLUDED_KINDS, JobDispatcher } from './job-dispatcher.service';
import type { PullJobReply } from '@millrace/contracts';
import { toPulledJobView } from './pulled-job.view';
import { Waiter, WaitOutcome } from './waiter';
import { WaiterRegistry } from './waiter-registry';

/** pull_job: an immediate claim (wait_s=0) or a long poll served by the dispatcher. */
@Injectable()
export class PullService {
  private readonly logger = new Logger('PullService');

  constructor(
    private readonly queue: PgJobQueue,
    private readonly dispatcher: JobDispatcher,
    private readonly registry: WaiterRegistry,
    private readonly tokens: JobTokenService,
    private readonly pings: PingBatcher,
  ) {}

  /**
   * Resolves with a job, or `no_job` after `waitS` seconds. The wait holds no database
   * connection: the agent is only an entry in the registry until the dispatcher serves it.
   * If the client disconnects first the poll ends and can no longer be given a job.
   */
  async pull(agent: AgentIdentity, waitS: number, res: ServerResponse, prefetch = false): Promise<WaitOutcome> {
    if (agent.tags.length === 0) throw new ForbiddenException('this agent token has no tags an agent may serve (flow and dependency tags are for normal workers)');
    // A poll (at most 55 s) is a sign of life: the agent skips update_ping meanwhile.
    this.pings.touch(agent.worker);
    if (this.dispatcher.isStopping) return { kind: 'no_job' };
    if (waitS === 0) {
      // A prefetch never takes a job an idle agent here is waiting for.
      if (prefetch && this.registry.hasIdleWaiter(agent.tagsKey)) return { kind: 'no_job' };
      const [job] = await this.queue.claim({ ...claimFor(agent), limit: 1 });
      return job ? { kind: 'job', job } : { kind: 'no_job' };
    }
    return new Promise<WaitOutcome>((resolve) => {
      const waiter = new Waiter(agent, resolve, prefetch);
      const end = () => {
        this.registry.remove(waiter);
        waiter.settle({ kind: 'no_job' });
      };
      waiter.timer = setTimeout(end, waitS * 1000);
      const gone = () => {
        waiter.markGone();
        end();
      };
      // The client may have left while the guards ran; then 'close' has already fired.
      if (!res.socket || res.socket.destroyed) return gone();
      res.on('close', gone);
      this.dispatcher.enqueue(waiter);
    });
  }

  /**
   * What `pull(agent, 0, res, true)` would claim with (send_result?next=true claims the busy
   * agent's next job with its result), or null when that pull would answer no job without
   * asking the database: no tags, the broker stopping, or an idle agent with the same tags
   * waiting (a prefetch never takes its job). Like a poll, it is a sign of life.
   */
  nextClaimFor(agent: AgentIdentity): Omit<ClaimRequest, 'limit'> | null {
    if (agent.tags.length === 0) return null;
    this.pings.touch(agent.worker);
    if (this.dispatcher.isStopping || this.registry.hasIdleWaiter(agent.tagsKey)) return null;
    return claimFor(agent);
  }

  /**
   * A job claimed for an agent that cannot receive it any more: queued again at once (never
   * run, `restarts` unchanged). If that fails it stays claimed, without heartbeats, until the
   * monitor requeues it as a zombie.
   */
  async giveBack(job: ClaimedJob, why: string): Promise<void> {
    try {
      const n = await this.queue.release([{ jobId: job.id, claimId: job.claimId }]);
      this.logger.log(`job ${job.id}: released unstarted (${why})${n === 0 ? '; its claim was already gone' : ''}`);
    } catch (e) {
      this.logger.error(`job ${job.id}: cannot release it (${why}): ${e instanceof Error ? e.message : String(e)}; the monitor will requeue it`);
    }
  }

  reply(job: ClaimedJob, agent: AgentIdentity): PullJobReply {
    const token = this.tokens.sign({ jobId: job.id, claimId: job.claimId, worker: agent.worker, workspaceId: job.workspaceId }, job.timeoutS);
    return { job: toPulledJobView(job), job_token: token };
  }
}

function claimFor(agent: AgentIdentity): Omit<ClaimRequest, 'limit'> {
  return { worker: agent.worker, tags: agent.tags, excludeKinds: AGENT_EXCLUDED_KINDS };
}
