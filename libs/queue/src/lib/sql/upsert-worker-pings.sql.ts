/**
 * Upserts many worker pings in one statement (the broker batches thousands of agents'
 * pings). Tags arrive comma-joined because unnest cannot take an array of arrays; a tag
 * never holds a comma. `started_at` is kept while the same worker instance pings and reset
 * when a new instance takes the name (the worker restarted).
 *
 * $1 worker, $2 instance, $3 group, $4 kind, $5 tags (comma-joined), $6 current job,
 * $7 jobs executed, $8 memory bytes, $9 version, $10 ip, $11 occupancy. One row per worker.
 */
export const UPSERT_WORKER_PINGS = {
  name: 'millrace_upsert_worker_pings',
  text: `
INSERT INTO worker_ping AS w (worker, worker_instance, worker_group, kind, tags, current_job_id, jobs_executed,
                              memory_bytes, version, ip, occupancy, started_at, last_ping)
SELECT i.worker, i.worker_instance, i.worker_group, i.kind, string_to_array(i.tags, ','), i.current_job_id,
       i.jobs_executed, i.memory_bytes, i.version, i.ip, i.occupancy, now(), now()
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::integer[], $8::bigint[],
            $9::text[], $10::text[], $11::real[])
  AS i(worker, worker_instance, worker_group, kind, tags, current_job_id, jobs_executed, memory_bytes, version, ip,
       occupancy)
ON CONFLICT (worker) DO UPDATE SET
  started_at = CASE WHEN w.worker_instance = EXCLUDED.worker_instance THEN w.started_at ELSE EXCLUDED.started_at END,
  worker_instance = EXCLUDED.worker_instance,
  worker_group = EXCLUDED.worker_group,
  kind = EXCLUDED.kind,
  tags = EXCLUDED.tags,
  current_job_id = EXCLUDED.current_job_id,
  jobs_executed = EXCLUDED.jobs_executed,
  memory_bytes = EXCLUDED.memory_bytes,
  version = EXCLUDED.version,
  ip = EXCLUDED.ip,
  occupancy = EXCLUDED.occupancy,
  last_ping = EXCLUDED.last_ping`,
} as const;
