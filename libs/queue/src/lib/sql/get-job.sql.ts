import { JOB_VIEW_COLUMNS } from './job-view.sql';

/** Job $1 of workspace $2. */
export const GET_JOB = `
SELECT ${JOB_VIEW_COLUMNS}
FROM job j
LEFT JOIN job_queue q ON q.id = j.id
LEFT JOIN job_completed c ON c.id = j.id
WHERE j.id = $1 AND j.workspace_id = $2 AND (q.id IS NOT NULL OR c.id IS NOT NULL)`;
