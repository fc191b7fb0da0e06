/** Every worker's latest ping, by name. */
export const LIST_WORKER_PINGS = `
SELECT worker, worker_instance, worker_group, kind, tags, started_at, last_ping, current_job_id, jobs_executed,
       memory_bytes::float8 AS memory_bytes, version, ip, occupancy
FROM worker_ping
ORDER BY worker`;
