import { ForbiddenException, Injectable } from '@nestjs/common';
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
    if (waitS === 0) {
      const claim = this.immediateClaim(agent, prefetch);
      const [job] = claim ? await this.queue.claim({ ...claim, limit: 1 }) : [];
      return job ? { kind: 'job', job } : { kind: 'no_job' };
    }
    // A long poll is a sign of life too (immediateClaim).
    this.pings.touch(agent.worker);
    if (this.dispatcher.isStopping) return { kind: 'no_job' };
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
   * asking the database.
   */
  nextClaimFor(agent: AgentIdentity): Omit<ClaimRequest, 'limit'> | null {
    return agent.tags.length === 0 ? null : this.immediateClaim(agent, true);
  }

  /**
   * An immediate claim's request, or null when there is to be none: the broker is stopping, or
   * (`prefetch`) an idle agent with the same tags waits — a prefetch never takes its job. A
   * poll (at most 55 s) is a sign of life: the agent skips update_ping meanwhile.
   */
  private immediateClaim(agent: AgentIdentity, prefetch: boolean): Omit<ClaimRequest, 'limit'> | null {
    this.pings.touch(agent.worker);
    if (this.dispatcher.isStopping || (prefetch && this.registry.hasIdleWaiter(agent.tagsKey))) return null;
    return { worker: agent.worker, tags: agent.tags, excludeKinds: AGENT_EXCLUDED_KINDS };
  }

  /**
   * `end_poll`: the agent is stopping and asks for its open polls to end now (each answers
   * 204) instead of cutting their connections — a job handed to a poll just before is then
   * still received, where a cut connection could lose its reply in flight.
   */
  endPolls(agent: AgentIdentity): number {
    return this.registry.endPollsOf(agent);
  }

  /** Jobs claimed for an agent that left before receiving them go back at once (JobDispatcher). */
  giveBack(job: ClaimedJob): Promise<void> {
    return this.dispatcher.releaseUndelivered([job]);
  }

  reply(job: ClaimedJob, agent: AgentIdentity): PullJobReply {
    const token = this.tokens.sign({ jobId: job.id, claimId: job.claimId, worker: agent.worker, workspaceId: job.workspaceId }, job.timeoutS);
    return { job: toPulledJobView(job), job_token: token };
  }
}
