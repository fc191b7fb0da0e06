import type { Pool } from 'pg';
import { isUuid } from './ids.util';
import { JobViewRow, toJobView } from './job-row.mapper';
import { QueueError, QueueErrorCode } from './queue.error';
import type { JobListFilter, JobView } from './queue.types';
import { GET_JOB } from './sql/get-job.sql';
import { GET_LOGS } from './sql/get-logs.sql';
import { LIST_JOBS } from './sql/list-jobs.sql';

const MAX_PER_PAGE = 1000;

function invalid(message: string): QueueError {
  return new QueueError(QueueErrorCode.InvalidJob, message);
}

/** Read side of the queue for clients: one job, a page of jobs, a job's logs. */
export class JobReads {
  constructor(private readonly pool: Pool) {}

  async get(workspaceId: string, jobId: string): Promise<JobView | null> {
    if (!isUuid(jobId)) return null;
    const { rows } = await this.pool.query<JobViewRow>(GET_JOB, [jobId, workspaceId]);
    return rows[0] ? toJobView(rows[0]) : null;
  }

  async list(workspaceId: string, filter: JobListFilter): Promise<JobView[]> {
    const { page, perPage } = filter;
    if (!Number.isInteger(page) || page < 1) throw invalid('page: must be an integer of at least 1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw invalid(`perPage: must be an integer from 1 to ${MAX_PER_PAGE}`);
    const { rows } = await this.pool.query<JobViewRow>(LIST_JOBS, [
      workspaceId,
      filter.running ?? null,
      filter.success ?? null,
      filter.tag ?? null,
      filter.worker ?? null,
      filter.kinds && filter.kinds.length > 0 ? filter.kinds : null,
      perPage,
      (page - 1) * perPage,
    ]);
    return rows.map(toJobView);
  }

  /**
   * The job's logs as text (null: no such job in the workspace). When the job was requeued
   * after losing its worker, each attempt's logs follow a line saying so.
   */
  async getLogs(workspaceId: string, jobId: string): Promise<string | null> {
    if (!isUuid(jobId)) return null;
    const { rows } = await this.pool.query<{ attempt: number | null; logs: Buffer | null }>(GET_LOGS, [jobId, workspaceId]);
    if (rows.length === 0) return null;
    const parts: Buffer[] = [];
    rows.forEach((row, i) => {
      if (row.attempt === null || row.logs === null) return;
      if (i > 0 || row.attempt > 0) parts.push(Buffer.from(`${i > 0 ? '\n' : ''}[millrace] attempt ${row.attempt + 1} (after ${row.attempt} restart${row.attempt === 1 ? '' : 's'})\n`));
      parts.push(row.logs);
    });
    // Decode once at the end: a multi-byte character may straddle two chunks.
    return Buffer.concat(parts).toString('utf8');
  }
}
