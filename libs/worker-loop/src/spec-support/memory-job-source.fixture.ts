import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from '@millrace/executor';
import type { JobSource, JobStatusReply, PullOptions, WorkerJob, WorkerPing } from '../index';
import { JobSourceError, JobSourceErrorCode } from '../index';

interface LogCall {
  offset: number;
  text: string;
  ok: boolean;
}

/** One call of `pull`: whether it was a prefetch, and the job it returned (null: none yet / none). */
export interface PullCall {
  prefetch: boolean;
  jobId: string | null;
}

/**
 * An in-memory transport for the worker loop (a test double of the queue/broker, not a
 * database): a FIFO of jobs, offset-checked log storage, cancel flags, recorded pings, and
 * switches to make calls fail. It can `release` a job (set `release` to undefined for a
 * source that cannot) and tracks how many jobs are claimed at once.
 */
export class MemoryJobSource implements JobSource {
  readonly queued: WorkerJob[] = [];
  readonly logs = new Map<string, string>();
  readonly logCalls = new Map<string, LogCall[]>();
  readonly completed = new Map<string, ExecutionResult>();
  readonly completeCalls: string[] = [];
  readonly pings: WorkerPing[] = [];
  readonly heartbeats = new Map<string, number>();
  readonly started = new Set<string>();
  pulls = 0;
  /** Every pull, in call order. */
  readonly pullCalls: PullCall[] = [];
  /** Jobs handed out and neither completed nor released; and the most there ever were at once. */
  readonly claimed = new Set<string>();
  maxClaimed = 0;
  /** Job ids passed to `release`, failed calls included. */
  readonly releaseCalls: string[] = [];
  /** A released job goes back to the head of the queue (false: as if another worker took it at once). */
  requeueReleased = true;
  /** When each job was handed out, and when its outcome was acknowledged (ms, monotonic). */
  readonly pulledAt = new Map<string, number>();
  readonly completedAt = new Map<string, number>();
  /** Set true to act like the agent broker, which counts each pull as a ping (absent by default). */
  pullRefreshesPing?: boolean;
  /** How long an empty pull waits (real ms) for a job before returning null. */
  pullWaitMs = 200;
  /** Makes every report take this long, like a slow link to the broker. */
  completeDelayMs = 0;
  /** Failures to inject: how many of the next calls of each kind throw a transient error. */
  readonly failNext = { pull: 0, appendLogs: 0, complete: 0, heartbeat: 0, ping: 0, release: 0 };
  private readonly cancels = new Map<string, { by: string; reason: string | null }>();
  private readonly replies = new Map<string, 'already-completed' | 'claim-lost'>();
  private waiter: (() => void) | null = null;

  push(job: Partial<WorkerJob> & Pick<WorkerJob, 'language' | 'content'>): WorkerJob {
    const full: WorkerJob = { id: randomUUID(), workspaceId: 'ws', kind: 'script', args: {}, timeoutS: null, token: 'tok', claimId: randomUUID(), ...job };
    this.queued.push(full);
    this.waiter?.();
    return full;
  }

  cancel(jobId: string, by: string, reason: string | null = null): void {
    this.cancels.set(jobId, { by, reason });
  }

  /** The next heartbeat of `jobId` says the job completed elsewhere, or that the claim is gone. */
  replyNext(jobId: string, what: 'already-completed' | 'claim-lost'): void {
    this.replies.set(jobId, what);
  }

  /** Gives a handed-out job back (like the broker's `release_job`); undefined for a source that cannot. */
  release?: (job: WorkerJob) => Promise<void> = async (job) => {
    this.releaseCalls.push(job.id);
    this.fail('release');
    if (!this.claimed.delete(job.id)) return; // the claim was gone already: nothing to give back
    if (this.requeueReleased) this.queued.unshift(job);
  };

  async pull(signal: AbortSignal, options?: PullOptions): Promise<WorkerJob | null> {
    this.pulls++;
    const call: PullCall = { prefetch: options?.prefetch === true, jobId: null };
    this.pullCalls.push(call);
    this.fail('pull');
    if (this.queued.length === 0) {
      // A short long-poll: wake on push, abort, or after a while with nothing.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, this.pullWaitMs);
        this.waiter = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.waiter = null;
    }
    const job = this.queued.shift() ?? null;
    if (job) {
      call.jobId = job.id;
      this.started.add(job.id);
      this.pulledAt.set(job.id, performance.now());
      this.claimed.add(job.id);
      this.maxClaimed = Math.max(this.maxClaimed, this.claimed.size);
    }
    return job;
  }

  async heartbeat(job: WorkerJob): Promise<JobStatusReply> {
    this.heartbeats.set(job.id, (this.heartbeats.get(job.id) ?? 0) + 1);
    this.fail('heartbeat');
    const special = this.replies.get(job.id);
    if (special === 'claim-lost') throw new JobSourceError(JobSourceErrorCode.ClaimLost, 'requeued');
    if (special === 'already-completed') return { alreadyCompleted: true, canceledBy: 'admin', canceledReason: 'forced' };
    const c = this.cancels.get(job.id);
    return { alreadyCompleted: false, canceledBy: c?.by ?? null, canceledReason: c?.reason ?? null };
  }

  async appendLogs(job: WorkerJob, offset: number, text: string): Promise<void> {
    const calls = this.logCalls.get(job.id) ?? [];
    this.logCalls.set(job.id, calls);
    const fails = this.failNext.appendLogs > 0;
    calls.push({ offset, text, ok: !fails });
    this.fail('appendLogs');
    const stored = this.logs.get(job.id) ?? '';
    const storedBytes = Buffer.byteLength(stored);
    if (offset < storedBytes) return; // a repeat
    if (offset > storedBytes) throw new Error(`log gap: server has ${storedBytes}, chunk starts at ${offset}`);
    this.logs.set(job.id, stored + text);
  }

  async complete(job: WorkerJob, outcome: ExecutionResult): Promise<void> {
    this.completeCalls.push(job.id);
    this.fail('complete');
    if (this.completeDelayMs > 0) await new Promise((r) => setTimeout(r, this.completeDelayMs));
    this.completed.set(job.id, outcome);
    this.claimed.delete(job.id);
    this.completedAt.set(job.id, performance.now());
  }

  async ping(ping: WorkerPing): Promise<void> {
    this.fail('ping');
    this.pings.push(ping);
  }

  private fail(kind: keyof MemoryJobSource['failNext']): void {
    if (this.failNext[kind] > 0) {
      this.failNext[kind]--;
      throw new Error(`injected ${kind} failure`);
    }
  }
}
