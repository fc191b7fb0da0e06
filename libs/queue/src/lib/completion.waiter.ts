import type { PgJobQueue } from './pg-job-queue.repository';
import { JOB_COMPLETED_CHANNEL } from './queue.channels';
import { QueueError, QueueErrorCode } from './queue.error';
import type { JobView } from './queue.types';
import { PgListener } from './pg-listener.util';

/** One caller waiting for one job; settles once (completed view, or null on timeout/close). */
class PendingWait {
  readonly result: Promise<JobView | null>;
  private resolve!: (view: JobView | null) => void;
  private readonly timer: NodeJS.Timeout;
  private settled = false;

  constructor(
    readonly workspaceId: string,
    timeoutMs: number,
    private readonly onSettled: () => void,
  ) {
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.settle(null), timeoutMs);
  }

  settle(view: JobView | null): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.onSettled();
    this.resolve(view);
  }
}

/**
 * Waits for jobs to complete (run_wait_result) on ONE shared LISTEN connection per process,
 * however many callers wait. Only jobs a waiter flagged are announced on completion. A waiter is registered and LISTEN is active before it checks
 * whether the job already completed, so a completion can never slip between the check and
 * the wait.
 */
export class CompletionWaiter {
  private readonly waiting = new Map<string, Set<PendingWait>>();
  private readonly listener: PgListener;

  constructor(
    connectionString: string,
    private readonly queue: PgJobQueue,
    private readonly options: { onError?: (error: unknown) => void; applicationName?: string } = {},
  ) {
    this.listener = new PgListener({
      connectionString,
      channel: JOB_COMPLETED_CHANNEL,
      applicationName: options.applicationName ?? 'millrace-completion-waiter',
      onNotify: (payload) => {
        for (const id of payload.split(',')) if (this.waiting.has(id)) this.check(id);
      },
      // Completions while the connection was down were not heard: look at every waited job.
      onReconnect: () => {
        for (const id of this.waiting.keys()) this.check(id);
      },
      onError: options.onError,
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  /**
   * The job's view once it has completed, or null after `timeoutMs`. QueueError(NotFound)
   * when the workspace has no such job.
   */
  async waitFor(workspaceId: string, jobId: string, timeoutMs: number): Promise<JobView | null> {
    await this.start();
    const wait = new PendingWait(workspaceId, timeoutMs, () => this.forget(jobId, wait));
    let set = this.waiting.get(jobId);
    if (!set) this.waiting.set(jobId, (set = new Set()));
    set.add(wait);
    try {
      // Flag first, then look: a completion after the flag notifies; one before it is seen
      // by the look. Either way the waiter hears of it.
      await this.queue.requestCompletionNotice(jobId);
      const view = await this.queue.get(workspaceId, jobId);
      if (view === null) throw new QueueError(QueueErrorCode.NotFound, `no job ${jobId}`);
      if (view.type === 'CompletedJob') wait.settle(view);
    } catch (error) {
      wait.settle(null);
      throw error;
    }
    return wait.result;
  }

  /** Stops listening; callers still waiting get null. */
  async close(): Promise<void> {
    for (const set of [...this.waiting.values()]) for (const wait of [...set]) wait.settle(null);
    await this.listener.close();
  }

  private forget(jobId: string, wait: PendingWait): void {
    const set = this.waiting.get(jobId);
    set?.delete(wait);
    if (set?.size === 0) this.waiting.delete(jobId);
  }

  /** Settles the job's waiters if it has completed (once per workspace they asked about). */
  private check(jobId: string): void {
    const set = this.waiting.get(jobId);
    if (!set) return;
    for (const workspaceId of new Set([...set].map((w) => w.workspaceId))) {
      this.queue.get(workspaceId, jobId).then(
        (view) => {
          if (view?.type !== 'CompletedJob') return;
          for (const wait of [...(this.waiting.get(jobId) ?? [])]) if (wait.workspaceId === workspaceId) wait.settle(view);
        },
        // The waiter still times out; a later notification or reconnection checks again.
        (error: unknown) => this.options.onError?.(error),
      );
    }
  }
}
