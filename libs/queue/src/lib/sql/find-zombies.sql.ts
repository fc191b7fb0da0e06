/** Running jobs whose last heartbeat is older than $1 (their worker is presumed lost). */
export const FIND_ZOMBIES = `
SELECT q.id, q.claim_id, q.worker, q.restarts, q.last_heartbeat, q.canceled_by, q.canceled_reason
FROM job_queue q
WHERE q.running AND q.last_heartbeat < $1`;
