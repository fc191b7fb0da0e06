import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import { ScriptExecutor } from '@millrace/executor';
import { PgJobQueue, PgWorkerPings } from '@millrace/queue';
import { WorkerLoop } from '@millrace/worker-loop';
import type { Pool } from 'pg';
import { NormalWorkerConfig } from '../config/normal-worker.config';
import { GroupConfigRepository } from './group-config.repository';
import { GroupConfigWatcher } from './group-config.watcher';
import { runInitScript } from './init-script.runner';
import { JobWakeup } from './job-wakeup.listener';
import { PgJobSource } from './pg-job-source.adapter';
import { WorkerIdentity, workerIdentity } from './worker-identity.util';

/**
 * The normal worker: its group's config, the init script, and the shared worker loop over
 * PostgreSQL. Started after the app is up; on SIGTERM it drains before the pool closes.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly identity: WorkerIdentity;
  private readonly logger = new Logger('Worker');
  private readonly watcher: GroupConfigWatcher;
  private readonly wakeup: JobWakeup;
  private readonly executor: ScriptExecutor;
  private readonly loop: WorkerLoop;
  private readonly drainMs: number;

  constructor(@Inject(PG_POOL) pool: Pool, config: NormalWorkerConfig) {
    this.identity = workerIdentity(config.WORKER_GROUP, config.WORKER_SUFFIX);
    this.watcher = new GroupConfigWatcher(new GroupConfigRepository(pool), config.WORKER_GROUP, config.GROUP_CONFIG_REFRESH_MS);
    this.wakeup = new JobWakeup(config.DATABASE_URL, () => this.watcher.current.tags, config.POLL_INTERVAL_MS, (err) =>
      this.logger.warn(`new-job listener: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.executor = new ScriptExecutor({
      path: config.PATH,
      baseInternalUrl: config.BASE_INTERNAL_URL,
      killGraceMs: config.JOB_KILL_GRACE_MS,
      ...(config.JOB_TEMP_DIR ? { tempRoot: config.JOB_TEMP_DIR } : {}),
      useLauncher: config.JOB_LAUNCHER === 1,
      warn: (m) => this.logger.warn(m),
    });
    // SHUTDOWN_GRACE_S bounds the whole shutdown (runApp exits 1 past it): keep room after
    // the drain for cancelled jobs to be killed and reported.
    const shutdownReportMs = config.JOB_KILL_GRACE_MS + 2_000;
    this.drainMs = Math.max(0, config.SHUTDOWN_GRACE_S * 1000 - shutdownReportMs - 1_000);
    const source = new PgJobSource(new PgJobQueue(pool), new PgWorkerPings(pool), this.wakeup, this.identity, () => this.watcher.current);
    this.loop = new WorkerLoop(source, this.executor, {
      workerName: this.identity.name,
      version: this.identity.version,
      workerInstance: this.identity.instance,
      ip: this.identity.ip,
      concurrency: config.WORKER_CONCURRENCY,
      heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
      pingIntervalMs: config.PING_INTERVAL_MS,
      shutdownReportMs,
      jobEnv: () => this.watcher.current.env,
      logger: { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const group = await this.watcher.load();
    if (group.initBash) {
      this.logger.log(`running init_bash of group ${this.identity.group}`);
      const init = await runInitScript(this.executor, group.initBash, group.env, 'admins', (line) => this.logger.log(`init_bash: ${line}`));
      if (!init.success) throw new Error(`init_bash of group ${this.identity.group} failed: ${init.error.message}`);
    }
    await this.wakeup.start();
    this.watcher.start();
    this.loop.start();
    this.logger.log(`${this.identity.name} takes jobs tagged ${group.tags.join(', ') || '(none)'} (${this.loop.settings.concurrency} at a time)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.loop.state === 'running') this.logger.log(`draining: running jobs get ${this.drainMs} ms to finish`);
    await this.loop.stop(this.drainMs);
    await this.watcher.stop();
    await this.wakeup.close();
  }
}
