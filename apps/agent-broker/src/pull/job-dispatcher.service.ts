import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ClaimedJob, JobKind, PgJobQueue } from '@millrace/queue';
import { RevocationList } from '../auth/revocation-list.service';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { Waiter } from './waiter';
import { WaitGroup, WaiterRegistry } from './waiter-registry';

/** Agents never run the flow state machine or dependency jobs, whatever their tags say. */
export const AGENT_EXCLUDED_KINDS: readonly JobKind[] = ['flow', 'dependency'];
/** PgJobQueue.claim's upper bound; a larger group is served over successive rounds. */
const MAX_CLAIM = 1000;
/** Re-pairing rounds for jobs whose agent left while being handed one, before releasing them. */
const HANDOFF_ROUNDS = 3;

function held(job: ClaimedJob): { jobId: string; claimId: string } {
  return { jobId: job.id, claimId: job.claimId };
}

/**
 * Claims jobs for long-polling agents: one `PgJobQueue.claim` per tag set for all of its
 * waiting agents (limit = number of waiters), woken by NOTIFY for those tags (see
 * NewJobWakeup), by a new waiter, and by a fallback poll every DISPATCH_POLL_MS. Rounds never
 * overlap and at most half the pool claims at once, leaving connections for job routes.
 *
 * A job claimed for an agent whose request went away meanwhile is handed to the next agent
 * waiting with the same tags; if none is left it is released back to the queue (never run,
 * `restarts` unchanged) with a NOTIFY, so no job is lost or left to the zombie monitor.
 */
@Injectable()
export class JobDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobDispatcher');
  private readonly concurrency: number;
  private scheduled = false;
  private draining?: Promise<void>;
  private pollTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly naming = new Set<Promise<void>>();

  constructor(
    private readonly registry: WaiterRegistry,
    private readonly queue: PgJobQueue,
    private readonly config: AgentBrokerConfig,
    revocations: RevocationList,
  ) {
    this.concurrency = Math.max(1, Math.floor(config.DB_POOL_MAX / 2));
    revocations.onRevoked((jtis) => {
      const n = this.registry.dropJtis(jtis);
      if (n > 0) this.logger.log(`ended ${n} long poll(s) of revoked agent tokens`);
    });
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  onApplicationBootstrap(): void {
    this.pollTimer = setInterval(() => this.wakeAll(), this.config.DISPATCH_POLL_MS);
  }

  /** Finishes the round in flight (its jobs reach their agents), then answers every other poll with 204. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    await this.draining;
    await Promise.all([...this.naming]);
    this.registry.settleAll({ kind: 'no_job' });
  }

  /** Registers a waiter (the controller answers when it settles). */
  enqueue(waiter: Waiter): void {
    if (this.stopping) {
      waiter.settle({ kind: 'no_job' });
      return;
    }
    if (this.registry.add(waiter)) this.kick();
  }

  /** Tags got new jobs (NOTIFY). */
  wakeTags(tags: readonly string[]): void {
    if (this.registry.wakeTags(tags)) this.kick();
  }

  /** Every group claims again (the listener reconnected and may have missed pushes). */
  wakeAll(): void {
    if (this.registry.wakeAll()) this.kick();
  }

  /** Schedules claim rounds; calls within one tick coalesce into one round. */
  kick(): void {
    if (this.scheduled || this.stopping) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.draining ??= this.drain().finally(() => (this.draining = undefined));
    });
  }

  private async drain(): Promise<void> {
    // At shutdown the round in flight finishes; no new one starts.
    while (!this.stopping) {
      const due = this.registry.takeDue();
      if (due.length === 0) return;
      const lanes = Array.from({ length: Math.min(this.concurrency, due.length) }, async () => {
        for (let group = due.shift(); group; group = due.shift()) await this.serve(group);
      });
      await Promise.all(lanes);
    }
  }

  private async serve(group: WaitGroup): Promise<void> {
    const wakesBefore = group.wakes;
    let exhausted = true;
    try {
      const waiters = this.registry.live(group, MAX_CLAIM);
      const first = waiters[0];
      if (!first) return;
      const limit = waiters.length;
      // Named after the longest-waiting agent: with one waiter (the usual case) no renaming follows.
      const jobs = await this.queue.claim({ worker: first.agent.worker, tags: group.tags, limit, excludeKinds: AGENT_EXCLUDED_KINDS });
      exhausted = jobs.length < limit;
      await this.handOver(group, jobs);
    } catch (e) {
      // The fallback poll retries within DISPATCH_POLL_MS; waiting agents keep waiting.
      this.logger.error(`claim for tags [${group.tags.join(', ')}] failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.registry.done(group, wakesBefore, exhausted);
    }
  }

  /**
   * Pairs jobs with live waiters (idle before prefetching, longest waiting first) and answers
   * them at once; the names of the agents that got jobs claimed under another's name are
   * recorded afterwards, off the agents' path (the claim id in each job token is what binds
   * a job to its agent, and send_result records the agent's name with the outcome).
   */
  private async handOver(group: WaitGroup, jobs: ClaimedJob[]): Promise<void> {
    const pending = [...jobs];
    const renamed: Array<{ jobId: string; claimId: string; worker: string }> = [];
    for (let round = 0; pending.length > 0 && round < HANDOFF_ROUNDS; round++) {
      const takers = this.registry.live(group, pending.length);
      if (takers.length === 0) break;
      for (const waiter of takers) {
        const job = pending.shift() as ClaimedJob;
        this.registry.remove(waiter);
        if (waiter.settle({ kind: 'job', job: { ...job, worker: waiter.agent.worker } })) {
          if (job.worker !== waiter.agent.worker) renamed.push({ ...held(job), worker: waiter.agent.worker });
        } else {
          pending.push(job);
        }
      }
    }
    if (renamed.length > 0) this.recordNames(renamed);
    if (pending.length > 0) await this.releaseUndelivered(pending);
  }

  /** Shows each job under the agent that got it; shutdown waits for these writes. */
  private recordNames(items: Array<{ jobId: string; claimId: string; worker: string }>): void {
    const write = this.queue
      .assignWorkers(items)
      .then(() => undefined)
      .catch((e: unknown) => {
        // Only the displayed worker name of a running job is wrong; its outcome records the right one.
        this.logger.warn(`cannot record agent names of ${items.length} claimed job(s): ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => this.naming.delete(write));
    this.naming.add(write);
  }

  /**
   * Gives back jobs claimed for agents that left before receiving them (never run, `restarts`
   * unchanged, NOTIFY); also for the immediate claims of pull_job?wait_s=0 and
   * send_result?next=true. If that fails they stay claimed until the monitor requeues them.
   */
  async releaseUndelivered(jobs: ClaimedJob[]): Promise<void> {
    try {
      const n = await this.queue.release(jobs.map(held));
      this.logger.log(`released ${n} claimed job(s) whose agents left before receiving them`);
    } catch (e) {
      // Left claimed without heartbeats: the monitor requeues them as zombies.
      this.logger.error(`cannot release ${jobs.length} undelivered job(s) (${jobs.map((j) => j.id).join(', ')}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
