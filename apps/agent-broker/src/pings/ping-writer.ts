import { Injectable } from '@nestjs/common';
import { PgWorkerPings, WorkerPing } from '@millrace/queue';

/** The one place pings reach the database: one statement per call. A seam for tests to count writes. */
@Injectable()
export class PingWriter {
  constructor(private readonly pings: PgWorkerPings) {}

  write(batch: readonly WorkerPing[]): Promise<number> {
    return this.pings.upsertMany(batch);
  }
}
