/**
 * Appends log chunk $4 (bytes) at byte offset $3 for job $1, if claim $2 holds it (running, or
 * the claim that completed it: a late chunk may arrive after the result). Stores the chunk
 * only when $3 equals what this attempt has stored; returns the holder's attempt (NULL: the
 * claim holds nothing), the stored size before the statement and, when stored, the new size.
 * A repeated chunk collides on the primary key and is dropped.
 */
export const APPEND_LOG = {
  name: 'millrace_append_log',
  text: `
WITH holder AS (
  SELECT restarts AS attempt FROM job_queue WHERE id = $1 AND claim_id = $2
  UNION ALL
  SELECT restarts FROM job_completed WHERE id = $1 AND claim_id = $2
  LIMIT 1
), stored AS (
  SELECT COALESCE((
    SELECT l.byte_offset + octet_length(l.chunk)
    FROM job_logs l JOIN holder h ON l.attempt = h.attempt
    WHERE l.job_id = $1
    ORDER BY l.byte_offset DESC
    LIMIT 1), 0) AS bytes
), appended AS (
  INSERT INTO job_logs (job_id, attempt, byte_offset, chunk)
  SELECT $1, h.attempt, $3::bigint, $4::bytea
  FROM holder h, stored s
  WHERE s.bytes = $3::bigint AND octet_length($4::bytea) > 0
  ON CONFLICT DO NOTHING
  RETURNING byte_offset + octet_length(chunk) AS bytes
)
SELECT (SELECT attempt FROM holder) AS attempt,
       (SELECT bytes FROM stored)::float8 AS stored,
       (SELECT bytes FROM appended)::float8 AS appended`,
} as const;
