import { JOB_VIEW_COLUMNS } from './job-view.sql';

/**
 * Jobs of workspace $1, newest first; each filter is skipped when its parameter is NULL:
 * $2 running, $3 success, $4 tag, $5 worker, $6 kinds; $7 limit, $8 offset.
 */
export const LIST_JOBS = `
SELECT ${JOB_VIEW_COLUMNS}
FROM job j
LEFT JOIN job_queue q ON q.id = j.id
LEFT JOIN job_completed c ON c.id = j.id
WHERE j.workspace_id = $1
  AND (q.id IS NOT NULL OR c.id IS NOT NULL)
  AND ($2::boolean IS NULL OR COALESCE(q.running, false) = $2::boolean)
  AND ($3::boolean IS NULL OR c.success = $3::boolean)
  AND ($4::text IS NULL OR j.tag = $4::text)
  AND ($5::text IS NULL OR COALESCE(c.worker, q.worker) = $5::text)
  AND ($6::text[] IS NULL OR j.kind = ANY ($6::text[]))
ORDER BY j.seq DESC
LIMIT $7 OFFSET $8`;
