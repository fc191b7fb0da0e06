import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import { NEW_JOBS_CHANNEL } from '@millrace/queue';
import type { Pool } from 'pg';
import { ASSIGN_WORKERS } from './sql/assign-workers.sql';
import { RELEASE_CLAIMS } from './sql/release-claims.sql';

export interface HeldClaim {
  jobId: string;
  claimId: string;
}

/**
 * The two claim operations the broker needs and @millrace/queue does not offer (yet): name
 * each agent of a batched claim, and give back a claim nobody received. Both touch only rows
 * still held by the given claim, so they can never steal or revive a job.
 */
@Injectable()
export class ClaimAdjustments {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async assignWorkers(items: ReadonlyArray<HeldClaim & { worker: string }>): Promise<void> {
    if (items.length === 0) return;
    await this.pool.query({ ...ASSIGN_WORKERS, values: [items.map((i) => i.jobId), items.map((i) => i.claimId), items.map((i) => i.worker)] });
  }

  /** Returns how many were put back (fewer when a claim moved on meanwhile). */
  async release(items: readonly HeldClaim[]): Promise<number> {
    if (items.length === 0) return 0;
    const { rows } = await this.pool.query<{ released: number }>({
      ...RELEASE_CLAIMS,
      values: [items.map((i) => i.jobId), items.map((i) => i.claimId), NEW_JOBS_CHANNEL],
    });
    return rows[0]?.released ?? 0;
  }
}
