/** Is job $1 of workspace $2 completed (true), queued (false) or unknown (no row)? */
export const COMPLETED_IN_WORKSPACE = `
SELECT EXISTS (SELECT 1 FROM job_completed c WHERE c.id = j.id) AS completed
FROM job j WHERE j.id = $1 AND j.workspace_id = $2`;
