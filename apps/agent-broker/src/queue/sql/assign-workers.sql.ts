/**
 * Names the agent that actually received each job of a batched claim ($1 ids, $2 claim ids,
 * $3 worker names). `PgJobQueue.claim` takes one worker name per call, while the broker
 * claims for many agents at once; only rows still held by the same claim are touched.
 * Stopgap until @millrace/queue can claim for several named workers in one call.
 */
export const ASSIGN_WORKERS = {
  name: 'millrace_broker_assign_workers',
  text: `
UPDATE job_queue q SET worker = a.worker
FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS a(id, claim_id, worker)
WHERE q.id = a.id AND q.claim_id = a.claim_id AND q.running`,
} as const;
