import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NewJobListener } from '@millrace/queue';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { JobDispatcher } from './job-dispatcher.service';

const RESTART_DELAY_MS = 5_000;

/**
 * LISTENs for pushes on one dedicated connection (outside the pool: a pooled connection
 * cannot hold a LISTEN) and wakes the groups of waiting agents that serve the pushed tags.
 * Pushes on any replica wake every broker. While the listener is down, the dispatcher's
 * fallback poll still finds the work, only later.
 */
@Injectable()
export class NewJobWakeup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NewJobWakeup');
  private listener?: NewJobListener;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly config: AgentBrokerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.listener?.close();
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    const listener = new NewJobListener(this.config.DATABASE_URL, {
      applicationName: 'millrace-agent-broker-listen',
      // Pushes made while the connection was down were not heard: look for work now.
      onReconnect: () => this.dispatcher.wakeAll(),
      onError: (e) => this.logger.warn(`new-job listener: ${e instanceof Error ? e.message : String(e)}`),
    });
    this.listener = listener;
    try {
      await listener.start((tags) => this.dispatcher.wakeTags(tags));
    } catch (e) {
      // The first connection failed and PgListener does not retry that one: start afresh later.
      this.logger.warn(`cannot LISTEN for new jobs (retrying in ${RESTART_DELAY_MS} ms): ${e instanceof Error ? e.message : String(e)}`);
      await listener.close();
      this.retry = setTimeout(() => void this.start(), RESTART_DELAY_MS);
    }
  }
}
