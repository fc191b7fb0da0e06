/**
 * Deletes up to $2 jobs completed before $1, with their definitions and logs, in no
 * particular order (a BRIN range scan of job_completed_completed_at_brin; sorting would
 * read every expired row on each batch). Batched so one round never holds a long transaction.
 */
export const DELETE_EXPIRED = `
WITH doomed AS (
  SELECT id FROM job_completed WHERE completed_at < $1 LIMIT $2
), logs AS (
  DELETE FROM job_logs l USING doomed d WHERE l.job_id = d.id
), defs AS (
  DELETE FROM job j USING doomed d WHERE j.id = d.id
), gone AS (
  DELETE FROM job_completed c USING doomed d WHERE c.id = d.id RETURNING 1
)
SELECT count(*)::int AS deleted FROM gone`;
