import { NEW_JOBS_CHANNEL } from './queue.channels';
import { PgListener } from './pg-listener.util';

export interface NewJobListenerOptions {
  /**
   * After a lost connection is back. Pushes made while it was down were not heard: a
   * consumer should look for work now rather than wait for the next push.
   */
  onReconnect?: () => void;
  onError?: (error: unknown) => void;
  applicationName?: string;
}

/**
 * For workers and brokers: hears every push (one notification per pushing transaction) and
 * calls back with the tags that got work, so claims happen on demand instead of by polling.
 */
export class NewJobListener {
  private listener: PgListener | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly options: NewJobListenerOptions = {},
  ) {}

  async start(onJobs: (tags: string[]) => void): Promise<void> {
    if (this.listener) throw new Error('NewJobListener already started');
    this.listener = new PgListener({
      connectionString: this.connectionString,
      channel: NEW_JOBS_CHANNEL,
      applicationName: this.options.applicationName ?? 'millrace-new-job-listener',
      onNotify: (payload) => onJobs(payload.split(',')),
      onReconnect: this.options.onReconnect,
      onError: this.options.onError,
    });
    await this.listener.start();
  }

  async close(): Promise<void> {
    await this.listener?.close();
  }
}
