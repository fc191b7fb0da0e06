/**
 * Running jobs that have run longer than their timeout at time $1. Reads only running rows
 * (job_queue_running_idx) and their definitions by primary key.
 */
export const FIND_TIMED_OUT = `
SELECT q.id, q.claim_id, q.worker, j.timeout_s
FROM job_queue q
JOIN job j ON j.id = q.id
WHERE q.running AND j.timeout_s IS NOT NULL AND q.started_at + make_interval(secs => j.timeout_s) < $1`;
