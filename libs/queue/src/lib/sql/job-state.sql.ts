/**
 * Where job $1 is: queued or running (and under which claim), completed (and by which claim),
 * or unknown. Used only on slow paths, to tell a repeat from a stale claim from a missing job.
 */
export const JOB_STATE = {
  name: 'millrace_job_state',
  text: `
SELECT j.workspace_id, (q.id IS NOT NULL) AS queued, q.claim_id AS queue_claim_id,
       (c.id IS NOT NULL) AS completed, c.claim_id AS completed_claim_id, c.canceled_by, c.canceled_reason
FROM job j
LEFT JOIN job_queue q ON q.id = j.id
LEFT JOIN job_completed c ON c.id = j.id
WHERE j.id = $1`,
} as const;
