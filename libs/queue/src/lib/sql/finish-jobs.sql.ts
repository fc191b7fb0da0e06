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
 * The DELETE returns each row's outcome from the input it matched (DELETE ... USING may
 * return the joined row's columns), so everything after it reads `done` alone: the insert,
 * the NOTIFY and the result. Joining CTEs to each other costs: `saved` joined to `done` was
 * nest-looped (no statistics on CTEs), 500 × 500 row visits and 20 of 27 ms of a 500-job
 * completion; `done` joined back to the input was a hash join, and the result's
 * `parent_job` a primary-key probe of `job` per row (the queue row carries it now,
 * migration QueueParentJob): together 1.3 of 4.3 ms (EXPLAIN ANALYZE, 500 jobs, 20,000
 * backlog). A data-modifying CTE runs to completion whether or not it is read; `notified`
 * runs only because the result reads it.
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
/** The CTEs `input`, `done`, `saved` and `notified` (see above), after a `WITH`. */
export const FINISH_CTES = `input AS (
  SELECT *
  FROM json_to_recordset($1::json)
    AS i(id uuid, claim_id uuid, success boolean, result text, error text, duration_ms bigint, mem_peak bigint,
         canceled_by text, canceled_reason text, worker text)
), done AS (
  DELETE FROM job_queue q
  USING input i
  WHERE q.id = ANY (ARRAY(SELECT id FROM input)) AND q.id = i.id AND q.claim_id IS NOT DISTINCT FROM i.claim_id
  RETURNING q.id, q.workspace_id, q.parent_job, q.claim_id, q.started_at, q.restarts, q.notify_completion,
            i.success, i.result, i.error, i.duration_ms, i.mem_peak,
            COALESCE(i.canceled_by, CASE WHEN NOT i.success THEN q.canceled_by END) AS canceled_by,
            COALESCE(i.canceled_reason, CASE WHEN NOT i.success THEN q.canceled_reason END) AS canceled_reason,
            COALESCE(i.worker, q.worker) AS worker
), saved AS (
  INSERT INTO job_completed (id, workspace_id, success, result, error, duration_ms, mem_peak, canceled_by,
                             canceled_reason, worker, claim_id, started_at, restarts)
  SELECT d.id, d.workspace_id, d.success, d.result::jsonb, d.error::jsonb,
         COALESCE(d.duration_ms, (extract(epoch FROM now() - d.started_at) * 1000)::bigint),
         d.mem_peak, d.canceled_by, d.canceled_reason, d.worker, d.claim_id, d.started_at, d.restarts
  FROM done d
), notified AS (
  SELECT pg_notify($2, string_agg(n.id::text, ','))
  FROM (SELECT d.id, (row_number() OVER () - 1) / 200 AS chunk FROM done d WHERE d.notify_completion) n
  GROUP BY n.chunk
)`;

function finishJobs(name: string, result: string): { readonly name: string; readonly text: string } {
  return { name, text: `\nWITH ${FINISH_CTES}\n${result}` };
}

/** Returns one row per completed job (what completion hooks receive). */
export const FINISH_JOBS = finishJobs(
  'millrace_finish_jobs',
  `SELECT d.id, d.workspace_id, d.success, d.parent_job, (SELECT count(*) FROM notified)::int AS notifies
FROM done d`,
);

/**
 * Returns only how many completed: a worker completing a batch with no hook to run has no use
 * for the rows, and reading 500 rows back cost the Node side more than the statement saves.
 * `notified`, a plain SELECT, runs only because the result reads it.
 */
export const FINISH_JOBS_COUNT = finishJobs(
  'millrace_finish_jobs_count',
  `SELECT (SELECT count(*) FROM done)::int AS finished, (SELECT count(*) FROM notified)::int AS notifies`,
);
