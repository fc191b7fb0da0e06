import { CancelRequest, Clock, ExecutionErrorCode, ExecutionResult, ScriptExecutor } from '@millrace/executor';
import { ABORTED, Backoff, retryUntil, RetryVerdict, untilAborted } from './backoff.util';
import { describeError, isJobSourceError, JobSourceErrorCode } from './job-source.error';
import type { WorkerLoopSettings } from './worker-loop.settings';
import type { JobSource, JobStatusReply, WorkerJob } from './worker-loop.types';

export interface JobRunDeps {
  source: JobSource;
  executor: ScriptExecutor;
  settings: WorkerLoopSettings;
  clock: Clock;
  /** Aborted when a stopping worker stops retrying reports. */
  giveUp: AbortSignal;
  /** A source call threw `Fatal`. */
  onFatal: (error: Error) => void;
  /** The job's process is done; only reporting is left (its slot can take the next job). */
  onExecuted?: () => void;
}

/**
 * One claimed job on this worker: runs it, heartbeats it (obeying cancellation), ships its
 * logs with byte offsets, and reports the outcome — unless the claim was lost meanwhile.
 */
export class JobRun {
  /** When the run started, on the clock's monotonic scale (for occupancy). */
  readonly startedMs: number;
  private readonly abort = new AbortController();
  private readonly stopHeartbeat = new AbortController();
  /** UTF-8 bytes of log the source has acknowledged. */
  private logOffset = 0;
  /** Set when the job is no longer ours: stop it, ship and report nothing more. */
  private lostBecause: string | null = null;

  constructor(
    readonly job: WorkerJob,
    private readonly deps: JobRunDeps,
  ) {
    this.startedMs = deps.clock.monotonicMs();
  }

  cancel(request: CancelRequest): void {
    if (!this.abort.signal.aborted) this.abort.abort(request);
  }

  /** Never rejects. */
  async run(): Promise<void> {
    const { settings } = this.deps;
    let outcome: ExecutionResult;
    const unrunnable = this.unrunnable();
    if (unrunnable) {
      outcome = unrunnable;
    } else {
      const { job } = this;
      const execution = this.deps.executor.start(
        {
          id: job.id,
          workspaceId: job.workspaceId,
          language: job.language ?? 'bash',
          content: job.content ?? '',
          args: job.args,
          ...(job.argOrder ? { argOrder: job.argOrder } : {}),
          timeoutS: job.timeoutS,
          token: job.token,
          env: settings.jobEnv(),
        },
        { signal: this.abort.signal, onLogs: (chunk) => this.shipLogs(chunk) },
      );
      const heartbeats = this.heartbeatLoop();
      outcome = await execution.done;
      this.stopHeartbeat.abort();
      await heartbeats;
    }
    this.deps.onExecuted?.();
    if (this.lostBecause !== null) {
      settings.logger.warn(`job ${this.job.id}: not reporting its outcome (${this.lostBecause})`);
      return;
    }
    const reported = await this.retry(() => this.deps.source.complete(this.job, outcome), 'report the outcome');
    if (!reported && this.lostBecause === null) settings.logger.error(`job ${this.job.id}: gave up reporting its outcome (worker stopping)`);
  }

  private unrunnable(): ExecutionResult | null {
    const { job } = this;
    switch (job.kind) {
      case 'flow':
      case 'dependency':
        return fail(`${job.kind} jobs are not supported by this worker yet`);
      case 'script':
      case 'preview':
      case 'flowstep':
      case 'init':
        break;
    }
    if (job.language === null || job.content === null) return fail(`job ${job.id} has no code to run (language or content missing)`);
    return null;
  }

  private async shipLogs(chunk: string): Promise<void> {
    if (this.lostBecause !== null) return;
    // The same offset on every attempt: a chunk stored whose reply was lost is not stored twice.
    const offset = this.logOffset;
    const shipped = await this.retry(() => this.deps.source.appendLogs(this.job, offset, chunk), 'ship logs');
    if (shipped) this.logOffset = offset + Buffer.byteLength(chunk);
  }

  private async heartbeatLoop(): Promise<void> {
    const { clock, settings, source } = this.deps;
    const stop = this.stopHeartbeat.signal;
    while (!stop.aborted) {
      await clock.sleep(settings.heartbeatIntervalMs, stop);
      if (stop.aborted) return;
      try {
        const reply = await untilAborted(source.heartbeat(this.job), stop);
        if (reply !== ABORTED) this.obey(reply);
      } catch (err) {
        this.classify(err, 'heartbeat');
      }
    }
  }

  private obey(reply: JobStatusReply): void {
    if (reply.alreadyCompleted) {
      this.lose('the job was already completed elsewhere');
      this.cancel({ by: reply.canceledBy ?? 'server', reason: reply.canceledReason ?? 'job already completed' });
    } else if (reply.canceledBy) {
      this.cancel({ by: reply.canceledBy, ...(reply.canceledReason ? { reason: reply.canceledReason } : {}) });
    }
  }

  private lose(why: string): void {
    this.lostBecause ??= why;
  }

  private retry(fn: () => Promise<void>, what: string): Promise<boolean> {
    const { settings, clock, giveUp } = this.deps;
    return retryUntil(fn, { clock, signal: giveUp, backoff: new Backoff(settings.minBackoffMs, settings.maxBackoffMs), classify: (err) => this.classify(err, what) });
  }

  /** Acts on a failed source call; says whether retrying makes sense. */
  private classify(err: unknown, what: string): RetryVerdict {
    const { settings } = this.deps;
    if (isJobSourceError(err, JobSourceErrorCode.ClaimLost)) {
      this.lose(`claim lost: ${err.message}`);
      this.cancel({ by: settings.workerName, reason: 'claim lost' });
      return 'stop';
    }
    if (isJobSourceError(err, JobSourceErrorCode.Fatal)) {
      this.deps.onFatal(err);
      return 'stop';
    }
    settings.logger.warn(`job ${this.job.id}: could not ${what} (will retry): ${describeError(err)}`);
    return 'retry';
  }
}

function fail(message: string): ExecutionResult {
  return { success: false, error: { name: ExecutionErrorCode.InvalidJob, message }, durationMs: 0 };
}
