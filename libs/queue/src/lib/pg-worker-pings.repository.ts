import type { Pool } from 'pg';
import { isValidTag } from '@millrace/tags';
import { isUuid } from './ids.util';
import { transpose } from './columns.util';
import { QueueError, QueueErrorCode } from './queue.error';
import { LIST_WORKER_PINGS } from './sql/list-worker-pings.sql';
import { TOUCH_WORKER_PINGS } from './sql/touch-worker-pings.sql';
import { UPSERT_WORKER_PINGS } from './sql/upsert-worker-pings.sql';
import type { WorkerKind, WorkerPing, WorkerPingRecord } from './worker-ping.types';

interface WorkerPingRow {
  worker: string;
  worker_instance: string;
  worker_group: string;
  kind: WorkerKind;
  tags: string[];
  started_at: Date;
  last_ping: Date;
  current_job_id: string | null;
  jobs_executed: number;
  memory_bytes: number | null;
  version: string;
  ip: string | null;
  occupancy: number | null;
}

const INT_MAX = 2147483647;

function invalid(index: number, field: string, problem: string): QueueError {
  return new QueueError(QueueErrorCode.InvalidJob, `pings[${index}].${field}: ${problem}`);
}

function text(index: number, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.includes('\0')) throw invalid(index, field, 'must be a non-empty string');
  return value;
}

/** Worker liveness records: one row per worker, written by its pings. */
export class PgWorkerPings {
  constructor(private readonly pool: Pool) {}

  /**
   * Writes many pings in one statement (the broker batches its agents'). A worker named twice
   * keeps its last ping. Returns how many workers were written. All or nothing.
   */
  async upsertMany(pings: readonly WorkerPing[]): Promise<number> {
    const latest = new Map<string, [WorkerPing, number]>();
    pings.forEach((p, i) => latest.set(p.worker, [p, i]));
    if (latest.size === 0) return 0;
    const rows: unknown[][] = [];
    for (const [p, i] of latest.values()) {
      if (p.kind !== 'normal' && p.kind !== 'agent') throw invalid(i, 'kind', 'must be normal or agent');
      const bad = p.tags.find((t) => !isValidTag(t));
      if (bad !== undefined) throw invalid(i, 'tags', `${JSON.stringify(bad)} is not a valid tag`);
      if (p.currentJobId != null && !isUuid(p.currentJobId)) throw invalid(i, 'currentJobId', 'must be a UUID');
      if (!Number.isInteger(p.jobsExecuted) || p.jobsExecuted < 0 || p.jobsExecuted > INT_MAX) throw invalid(i, 'jobsExecuted', 'must be a non-negative integer');
      const memory = p.memoryBytes ?? null;
      if (memory !== null && (!Number.isSafeInteger(memory) || memory < 0)) throw invalid(i, 'memoryBytes', 'must be a non-negative integer');
      const occupancy = p.occupancy ?? null;
      if (occupancy !== null && !Number.isFinite(occupancy)) throw invalid(i, 'occupancy', 'must be a number');
      const row = [
        text(i, 'worker', p.worker),
        text(i, 'workerInstance', p.workerInstance),
        text(i, 'workerGroup', p.workerGroup),
        p.kind,
        p.tags.join(','),
        p.currentJobId ?? null,
        p.jobsExecuted,
        memory,
        text(i, 'version', p.version),
        p.ip ?? null,
        occupancy,
      ];
      rows.push(row);
    }
    const { rowCount } = await this.pool.query({ ...UPSERT_WORKER_PINGS, values: transpose(rows, 11) });
    return rowCount ?? 0;
  }

  /**
   * Moves `last_ping` to now for these workers, in one statement; nothing else changes, and a
   * worker with no row (it never sent a full ping) is skipped. Returns how many were marked.
   */
  async touchMany(workers: readonly string[]): Promise<number> {
    const names = [...new Set(workers)].filter((w) => typeof w === 'string' && w !== '' && !w.includes('\0'));
    if (names.length === 0) return 0;
    const { rowCount } = await this.pool.query({ ...TOUCH_WORKER_PINGS, values: [names] });
    return rowCount ?? 0;
  }

  async list(): Promise<WorkerPingRecord[]> {
    const { rows } = await this.pool.query<WorkerPingRow>(LIST_WORKER_PINGS);
    return rows.map((r) => ({
      worker: r.worker,
      workerInstance: r.worker_instance,
      workerGroup: r.worker_group,
      kind: r.kind,
      tags: r.tags,
      startedAt: r.started_at,
      lastPing: r.last_ping,
      currentJobId: r.current_job_id,
      jobsExecuted: r.jobs_executed,
      memoryBytes: r.memory_bytes,
      version: r.version,
      ip: r.ip,
      occupancy: r.occupancy,
    }));
  }
}
