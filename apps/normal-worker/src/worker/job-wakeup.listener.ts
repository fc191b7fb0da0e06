import { Clock } from '@millrace/executor';
import { NewJobListener } from '@millrace/queue';

/**
 * Wakes an idle worker when a job for one of its tags is pushed (LISTEN/NOTIFY), with a
 * fallback poll for what a notification cannot cover: pushes during a reconnect, jobs
 * scheduled for later, jobs requeued by the monitor.
 */
export class JobWakeup {
  private readonly listener: NewJobListener;
  /** Work was announced since the last `arm()`. */
  private announced = false;
  private wake: (() => void) | null = null;

  constructor(
    connectionString: string,
    private readonly tags: () => readonly string[],
    private readonly pollMs: number,
    onError: (error: unknown) => void,
    private readonly clock: Clock = new Clock(),
  ) {
    this.listener = new NewJobListener(connectionString, {
      applicationName: 'millrace-normal-worker-listen',
      onReconnect: () => this.announce(),
      onError,
    });
  }

  start(): Promise<void> {
    return this.listener.start((pushedTags) => {
      const mine = this.tags();
      if (pushedTags.some((t) => mine.includes(t))) this.announce();
    });
  }

  close(): Promise<void> {
    this.wake?.();
    return this.listener.close();
  }

  /** Call before looking for work: an announcement from now on ends the next `wait` at once. */
  arm(): void {
    this.announced = false;
  }

  /** Resolves on an announcement since `arm()`, after the poll interval, or on abort. */
  async wait(signal: AbortSignal): Promise<void> {
    if (this.announced || signal.aborted) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.wake = () => stop.abort();
    try {
      await this.clock.sleep(this.pollMs, stop.signal);
    } finally {
      this.wake = null;
      signal.removeEventListener('abort', onAbort);
    }
  }

  private announce(): void {
    this.announced = true;
    this.wake?.();
  }
}
