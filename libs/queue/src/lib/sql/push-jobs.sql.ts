/**
 * Inserts a batch of jobs in one statement: the definitions into `job`, their lifecycle rows
 * into `job_queue`, and one NOTIFY per 70 distinct tags (70 × 100-char tags + commas stays
 * under the 8000-byte payload limit), so a whole batch wakes workers once.
 * `seq` is assigned in input order (ORDER BY ord), which is the creation order claims use.
 *
 * $1 ids uuid[], $2 workspace ids, $3 kinds, $4 paths, $5 languages, $6 contents, $7 locks,
 * $8 args (JSON text), $9 tags, $10 priorities, $11 timeouts, $12 parent jobs, $13 root jobs,
 * $14 flow step ids, $15 created by, $16 scheduled for (NULL = now), $17 notify completion,
 * $18 channel.
 */
export const PUSH_JOBS = {
  name: 'millrace_push_jobs',
  text: `
WITH input AS (
  SELECT *
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::text[], $10::smallint[], $11::integer[], $12::uuid[], $13::uuid[], $14::text[], $15::text[],
              $16::timestamptz[], $17::boolean[])
    WITH ORDINALITY AS i(id, workspace_id, kind, path, language, content, lock, args, tag, priority, timeout_s,
                         parent_job, root_job, flow_step_id, created_by, scheduled_for, notify_completion, ord)
), jobs AS (
  INSERT INTO job (id, workspace_id, kind, path, language, content, lock, args, tag, priority, timeout_s,
                   parent_job, root_job, flow_step_id, created_by, scheduled_for)
  SELECT i.id, i.workspace_id, i.kind, i.path, i.language, i.content, i.lock, i.args::jsonb, i.tag, i.priority,
         i.timeout_s, i.parent_job, i.root_job, i.flow_step_id, i.created_by, COALESCE(i.scheduled_for, now())
  FROM input i
  ORDER BY i.ord
  RETURNING id, seq, workspace_id, kind, tag, priority, scheduled_for
), queued AS (
  INSERT INTO job_queue (id, seq, workspace_id, kind, tag, priority, scheduled_for, parent_job, notify_completion)
  SELECT j.id, j.seq, j.workspace_id, j.kind, j.tag, j.priority, j.scheduled_for, i.parent_job, i.notify_completion
  FROM jobs j JOIN input i ON i.id = j.id
), notified AS (
  SELECT pg_notify($18, string_agg(t.tag, ','))
  FROM (SELECT d.tag, (row_number() OVER (ORDER BY d.tag) - 1) / 70 AS chunk
        FROM (SELECT DISTINCT tag FROM input) d) t
  GROUP BY t.chunk
)
SELECT (SELECT count(*) FROM jobs)::int AS inserted, (SELECT count(*) FROM notified)::int AS notifies`,
} as const;
