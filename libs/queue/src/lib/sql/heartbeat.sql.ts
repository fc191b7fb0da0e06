/** Records a heartbeat for job $1 held by claim $2; returns the cancel request, if any. */
export const HEARTBEAT = {
  name: 'millrace_heartbeat',
  text: `
UPDATE job_queue SET last_heartbeat = now()
WHERE id = $1 AND claim_id = $2
RETURNING canceled_by, canceled_reason`,
} as const;
