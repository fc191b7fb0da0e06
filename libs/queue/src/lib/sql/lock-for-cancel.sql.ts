/** Locks the hot row of job $1 in workspace $2 for a cancel decision. */
export const LOCK_FOR_CANCEL = `
SELECT running, claim_id FROM job_queue WHERE id = $1 AND workspace_id = $2 FOR UPDATE`;
