/**
 * Puts zombie jobs back in the queue: only rows still held by the claim the monitor saw
 * ($1 ids, $2 claim ids), so a job its worker completed or heartbeated meanwhile is left
 * alone by the claim match. The claim id is cleared, so the lost worker's claim can no
 * longer heartbeat, log or complete, and the next claim mints a new one. One NOTIFY per 70
 * distinct tags ($3 channel) wakes workers for the requeued work.
 */
export const REQUEUE_ZOMBIES = `
WITH requeued AS (
  UPDATE job_queue q
  SET running = false, worker = NULL, claim_id = NULL, started_at = NULL, last_heartbeat = NULL,
      restarts = q.restarts + 1
  FROM unnest($1::uuid[], $2::uuid[]) AS z(id, claim_id)
  WHERE q.id = z.id AND q.claim_id = z.claim_id AND q.running
  RETURNING q.id, q.tag
), notified AS (
  SELECT pg_notify($3, string_agg(t.tag, ','))
  FROM (SELECT d.tag, (row_number() OVER (ORDER BY d.tag) - 1) / 70 AS chunk
        FROM (SELECT DISTINCT tag FROM requeued) d) t
  GROUP BY t.chunk
)
SELECT r.id, (SELECT count(*) FROM notified)::int AS notifies FROM requeued r`;
