/**
 * Completes a batch of jobs in one statement: deletes each one's hot row if it is still held
 * by the given claim (NULL matches a job nobody claimed, for cancel), writes one
 * `job_completed` row per deleted row, and sends one NOTIFY per 200 completed ids (200 ×
 * 37 bytes stays under the 8000-byte payload limit) — only for jobs a CompletionWaiter
 * flagged (`notify_completion`): pg_notify holds a global lock until commit, and a NOTIFY
 * on every completion serialised all workers' completions. Rows whose claim no longer matches are
 * skipped, so a stale worker, the monitor and a cancel can race safely: one of them wins.
 *
 * The batch arrives as one JSON array ($1), unpacked by json_to_recordset: serialising nine
 * parallel arrays element by element cost the Node side about 2 ms per 500 jobs (pg's
 * array escaping), JSON.stringify a tenth of that. The hot rows are found by primary key
 * (`id = ANY (ARRAY(...))`, as the claim does): joined to the input without it, the planner
 * hashed a sequential scan of all of `job_queue`, 8 of 15 ms of a 500-job completion with a
 * 20,000-job backlog, and growing with it.
 *
 * Every deleted row is saved (the caller passes each pair once), so the NOTIFY reads `done`
 * directly: it first joined `saved` to `done`, two CTE scans the planner can only nest-loop
 * (no statistics), 500 × 500 row visits and 20 of 27 ms of a 500-job completion.
 *
 * A failed job that was flagged for cancel keeps the flag as its cancel reason when the
 * worker's outcome does not name one (the worker killed it because it was asked to).
 *
 * $1: JSON array of {id, claim_id, success, result (JSON text), error (JSON text),
 * duration_ms (NULL: since started_at), mem_peak, canceled_by, canceled_reason, worker (NULL:
 * the name the queue row carries)}; $2: the
 * channel. The caller passes each (id, claim) pair once; the same id under several
 * claims is fine, only the holding claim matches.
 */
export const FINISH_JOBS = {
  name: 'millrace_finish_jobs',
  text: `
WITH input AS (
  SELECT *
  FROM json_to_recordset($1::json)
    AS i(id uuid, claim_id uuid, success boolean, result text, error text, duration_ms bigint, mem_peak bigint,
         canceled_by text, canceled_reason text, worker text)
), done AS (
  DELETE FROM job_queue q
  USING input i
  WHERE q.id = ANY (ARRAY(SELECT id FROM input)) AND q.id = i.id AND q.claim_id IS NOT DISTINCT FROM i.claim_id
  RETURNING q.id, q.workspace_id, q.worker, q.claim_id, q.started_at, q.restarts, q.canceled_by, q.canceled_reason,
            q.notify_completion
), saved AS (
  INSERT INTO job_completed (id, workspace_id, success, result, error, duration_ms, mem_peak, canceled_by,
                             canceled_reason, worker, claim_id, started_at, restarts)
  SELECT d.id, d.workspace_id, i.success, i.result::jsonb, i.error::jsonb,
         COALESCE(i.duration_ms, (extract(epoch FROM now() - d.started_at) * 1000)::bigint),
         i.mem_peak,
         COALESCE(i.canceled_by, CASE WHEN NOT i.success THEN d.canceled_by END),
         COALESCE(i.canceled_reason, CASE WHEN NOT i.success THEN d.canceled_reason END),
         COALESCE(i.worker, d.worker), d.claim_id, d.started_at, d.restarts
  FROM done d
  JOIN input i ON i.id = d.id AND i.claim_id IS NOT DISTINCT FROM d.claim_id
  RETURNING id, workspace_id, success
), notified AS (
  SELECT pg_notify($2, string_agg(n.id::text, ','))
  FROM (SELECT d.id, (row_number() OVER () - 1) / 200 AS chunk FROM done d WHERE d.notify_completion) n
  GROUP BY n.chunk
)
SELECT s.id, s.workspace_id, s.success, j.parent_job, (SELECT count(*) FROM notified)::int AS notifies
FROM saved s
JOIN job j ON j.id = s.id`,
} as const;
