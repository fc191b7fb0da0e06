import { Global, Module } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import { PgJobQueue, PgWorkerPings } from '@millrace/queue';
import type { Pool } from 'pg';

/** The queue library on the app's single, fixed-size pool. */
@Global()
@Module({
  providers: [
    { provide: PgJobQueue, inject: [PG_POOL], useFactory: (pool: Pool) => new PgJobQueue(pool) },
    { provide: PgWorkerPings, inject: [PG_POOL], useFactory: (pool: Pool) => new PgWorkerPings(pool) },
  ],
  exports: [PgJobQueue, PgWorkerPings],
})
export class QueueModule {}
