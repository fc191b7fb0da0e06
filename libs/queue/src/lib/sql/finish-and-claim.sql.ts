import { CLAIMED_JOBS_SELECT, claimCtes, claimShape, kindFilter } from './claim-jobs.sql';
import { FINISH_CTES } from './finish-jobs.sql';

/**
 * FINISH_JOBS_COUNT for one job, then the claim of one more job for the same worker
 * (claimJobsStatement with limit 1), in one statement and one transaction: for an agent that
 * reports a result and asks for its next job in the same request (send_result?next=true). Two
 * statements cost the broker two round trips and PostgreSQL two commits per agent job.
 *
 * The claim is gated on the finish (`EXISTS (SELECT 1 FROM done)`, a one-time filter: nothing
 * is read or locked when it is false), so a stale or repeated result claims nothing here. The
 * finished row is running, so the claim can never pick it; SKIP LOCKED keeps the claim from
 * waiting on anyone. Always one row: `finished` and `notifies`, and the claimed job's columns
 * (CLAIMED_JOBS_SELECT), NULL when there was none.
 *
 * $1, $2 as FINISH_JOBS ($1 a one-element JSON array); $3 tags, $4 worker.
 */
const statements = new Map<string, { name: string; text: string }>();

export function finishAndClaimStatement(excludeKinds: readonly string[]): { name: string; text: string } {
  const { perTag, kinds } = claimShape(1, excludeKinds);
  const name = `millrace_finish_claim_${kinds.join('_') || 'any'}`;
  let statement = statements.get(name);
  if (!statement) {
    statement = {
      name,
      text: `
WITH ${FINISH_CTES}, ${claimCtes(perTag, kindFilter(kinds), { tags: '$3', limit: '1', worker: '$4', gate: 'EXISTS (SELECT 1 FROM done)' })}
SELECT f.finished, f.notifies, n.*
FROM (SELECT (SELECT count(*) FROM done)::int AS finished, (SELECT count(*) FROM notified)::int AS notifies) f
LEFT JOIN (${CLAIMED_JOBS_SELECT}) n ON true`,
    };
    statements.set(name, statement);
  }
  return statement;
}
