import { Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import { CompletionWaiter, PgJobQueue } from '@millrace/queue';
import type { Pool } from 'pg';
import { JobQueueConfig } from '../config/job-queue.config';

/** Owns the process's single LISTEN connection for completion waits. */
@Injectable()
export class CompletionWaiterLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(CompletionWaiter) private readonly waiter: CompletionWaiter) {}

  async onModuleInit(): Promise<void> {
    await this.waiter.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.waiter.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: PgJobQueue, inject: [PG_POOL], useFactory: (pool: Pool) => new PgJobQueue(pool) },
    {
      provide: CompletionWaiter,
      inject: [JobQueueConfig, PgJobQueue],
      useFactory: (config: JobQueueConfig, queue: PgJobQueue) => new CompletionWaiter(config.DATABASE_URL, queue),
    },
    CompletionWaiterLifecycle,
  ],
  exports: [PgJobQueue, CompletionWaiter],
})
export class QueueModule {}
