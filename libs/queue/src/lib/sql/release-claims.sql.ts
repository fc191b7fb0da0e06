/**
 * Gives back jobs claimed but never handed to a worker (e.g. a broker's long poll ended
 * first): queued again, same restarts count, claim cleared so the old claim id is dead.
 * Only rows still held by the given claim ($1 ids, $2 claim ids). One NOTIFY ($3) per 70
 * distinct tags wakes whoever serves them.
 *
 * A held job somebody asked to cancel meanwhile (`canceled_by` set) is not queued again, where
 * the next worker would start it only to be told to stop: it is returned in `flagged` (as JSON)
 * for the caller to complete as canceled under the same claim.
 */
export const RELEASE_CLAIMS = {
  name: 'millrace_release_claims',
  text: `
WITH held AS (
  SELECT r.id, r.claim_id FROM unnest($1::uuid[], $2::uuid[]) AS r(id, claim_id)
), released AS (
  UPDATE job_queue q
  SET running = false, worker = NULL, claim_id = NULL, started_at = NULL, last_heartbeat = NULL
  FROM held r
  WHERE q.id = r.id AND q.claim_id = r.claim_id AND q.running AND q.canceled_by IS NULL
  RETURNING q.tag
), flagged AS (
  SELECT q.id, q.claim_id, q.canceled_by, q.canceled_reason
  FROM job_queue q JOIN held r ON q.id = r.id AND q.claim_id = r.claim_id
  WHERE q.running AND q.canceled_by IS NOT NULL
), notified AS (
  SELECT pg_notify($3, string_agg(t.tag, ','))
  FROM (SELECT d.tag, (row_number() OVER (ORDER BY d.tag) - 1) / 70 AS chunk
        FROM (SELECT DISTINCT tag FROM released) d) t
  GROUP BY t.chunk
)
SELECT (SELECT count(*) FROM released)::int AS released, (SELECT count(*) FROM notified)::int AS notifies,
       (SELECT json_agg(f) FROM flagged f) AS flagged`,
} as const;
