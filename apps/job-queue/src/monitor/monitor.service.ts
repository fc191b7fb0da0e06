import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import { PgJobQueue, QueueMonitor } from '@millrace/queue';
import type { Pool } from 'pg';
import { JobQueueConfig } from '../config/job-queue.config';

/**
 * Runs the queue monitor every MONITOR_INTERVAL_S on every replica; the monitor's advisory
 * lock makes one replica act per round. Rounds never overlap, and shutdown waits for the
 * round in progress.
 */
@Injectable()
export class MonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Monitor');
  private readonly monitor: QueueMonitor;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    queue: PgJobQueue,
    private readonly config: JobQueueConfig,
  ) {
    this.monitor = new QueueMonitor(pool, queue, {
      zombieTimeoutS: config.ZOMBIE_JOB_TIMEOUT_S,
      restartLimit: config.RESTART_LIMIT,
      retentionDays: config.RETENTION_DAYS,
    });
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.config.MONITOR_INTERVAL_S * 1000);
  }

  /** One monitor round; errors are logged and the next round tries again. */
  async round(): Promise<void> {
    try {
      const r = await this.monitor.runOnce();
      if (r.requeued.length || r.failed.length || r.timedOut.length || r.deleted) {
        this.logger.log({ requeued: r.requeued, failed: r.failed, timedOut: r.timedOut, deleted: r.deleted }, 'monitor round');
      }
    } catch (e) {
      this.logger.error(`monitor round failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
