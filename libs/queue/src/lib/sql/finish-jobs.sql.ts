/**
 * Completes a batch of jobs in one statement: deletes each one's hot row if it is still held
 * by the given claim ($2; NULL matches a job nobody claimed, for cancel), writes one
 * `job_completed` row per deleted row, and sends one NOTIFY per 200 completed ids (200 ×
 * 37 bytes stays under the 8000-byte payload limit) — only for jobs a CompletionWaiter
 * flagged (`notify_completion`): pg_notify holds a global lock until commit, and a NOTIFY
 * on every completion serialised all workers' completions. Rows whose claim no longer matches are
 * skipped, so a stale worker, the monitor and a cancel can race safely: one of them wins.
 *
 * The joins to the unnested input are left to the planner on purpose: it hashes a scan of
 * a small `job_queue` and probes the primary key of a large one (seen on 20,000 and 220,000
 * rows). Adding `id = ANY (...)` as the claim does made this named statement 1.2× (100
 * jobs) to 3.7× (500 jobs) slower in an interleaved run, though a one-off EXPLAIN of it
 * looked fine: presumably its cached generic plan, which was not dug into further.
 *
 * A failed job that was flagged for cancel keeps the flag as its cancel reason when the
 * worker's outcome does not name one (the worker killed it because it was asked to).
 *
 * $1 ids, $2 claim ids, $3 success, $4 result (JSON text), $5 error (JSON text),
 * $6 duration ms (NULL: since started_at), $7 memory peak, $8 canceled by, $9 canceled reason,
 * $10 channel. The caller passes each (id, claim) pair once; the same id under several
 * claims is fine, only the holding claim matches.
 */
export const FINISH_JOBS = {
  name: 'millrace_finish_jobs',
  text: `
WITH input AS (
  SELECT *
  FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
              $8::text[], $9::text[])
    AS i(id, claim_id, success, result, error, duration_ms, mem_peak, canceled_by, canceled_reason)
), done AS (
  DELETE FROM job_queue q
  USING input i
  WHERE q.id = i.id AND q.claim_id IS NOT DISTINCT FROM i.claim_id
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
         d.worker, d.claim_id, d.started_at, d.restarts
  FROM done d
  JOIN input i ON i.id = d.id AND i.claim_id IS NOT DISTINCT FROM d.claim_id
  RETURNING id, workspace_id, success
), notified AS (
  SELECT pg_notify($10, string_agg(s.id::text, ','))
  FROM (SELECT s.id, (row_number() OVER () - 1) / 200 AS chunk
        FROM saved s JOIN done d ON d.id = s.id
        WHERE d.notify_completion) s
  GROUP BY s.chunk
)
SELECT s.id, s.workspace_id, s.success, j.parent_job, (SELECT count(*) FROM notified)::int AS notifies
FROM saved s
JOIN job j ON j.id = s.id`,
} as const;
