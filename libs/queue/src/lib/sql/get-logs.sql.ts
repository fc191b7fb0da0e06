/**
 * The logs of job $1 in workspace $2, one row per attempt (a requeued job starts a new
 * attempt), chunks in offset order. No row: no such job; one row with a NULL attempt: no logs.
 */
export const GET_LOGS = `
SELECT a.attempt, a.logs
FROM job j
LEFT JOIN LATERAL (
  SELECT l.attempt, string_agg(l.chunk, ''::bytea ORDER BY l.byte_offset) AS logs
  FROM job_logs l
  WHERE l.job_id = j.id
  GROUP BY l.attempt
) a ON true
WHERE j.id = $1 AND j.workspace_id = $2
ORDER BY a.attempt`;
