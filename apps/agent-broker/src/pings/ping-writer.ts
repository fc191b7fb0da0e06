import { Injectable } from '@nestjs/common';
import { PgWorkerPings, WorkerPing } from '@millrace/queue';

/** The one place pings reach the database: one statement per call. A seam for tests to count writes. */
@Injectable()
export class PingWriter {
  constructor(private readonly pings: PgWorkerPings) {}

  write(batch: readonly WorkerPing[]): Promise<number> {
    return this.pings.upsertMany(batch);
  }

  /** Moves only `last_ping` of these workers (see PingBatcher.touch). */
  touch(workers: readonly string[]): Promise<number> {
    return this.pings.touchMany(workers);
  }
}
