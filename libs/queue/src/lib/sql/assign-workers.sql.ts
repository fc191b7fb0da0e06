/**
 * Names the worker that actually received each job of a claim made on behalf of several
 * workers (a broker claiming for many agents at once): $1 ids, $2 claim ids, $3 worker names.
 * Only rows still held by the given claim are touched.
 */
export const ASSIGN_WORKERS = {
  name: 'millrace_assign_workers',
  text: `
UPDATE job_queue q SET worker = a.worker
FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS a(id, claim_id, worker)
WHERE q.id = a.id AND q.claim_id = a.claim_id AND q.running`,
} as const;
