/**
 * Claims up to $2 jobs whose tag is in $1 and whose kind is not in $3, for worker $4, in one
 * statement: each requested tag is read through its own range of `job_queue_claim_idx`
 * (tag, priority DESC, scheduled_for, seq) WHERE NOT running, already in claim order, at most
 * $2 rows each, locked with SKIP LOCKED; the per-tag heads are merged and the first $2 taken;
 * those rows get a new claim id in the same statement. Extra rows locked by the per-tag
 * LIMIT are released at commit (the statement is its own transaction).
 *
 * It was sent unnamed at first (planned per call with the real values). What EXPLAIN ANALYZE
 * showed on PostgreSQL 15 with 200,000 queued rows for a tag nobody serves plus 10,000 for
 * each of five served tags (2 cores, shared and busy, so times are rough; buffers are not):
 * - claim 100 over 3 tags: Nested Loop over unnest → per tag Limit → LockRows → Index Scan
 *   using job_queue_claim_idx (Index Cond: tag = t.tag AND scheduled_for <= now();
 *   Filter: NOT running), 100 rows read per tag, 80 index+heap buffers for all three; a
 *   top-N heapsort of 300; the UPDATE and the `job` rows by Bitmap Index Scan on the
 *   primary keys (id = ANY). 3.8 ms. The 200,000-row backlog is never touched.
 * - claim 500 over 5 tags with excludeKinds {flow,dependency}: same plan, 97 flow rows
 *   stepped over by the filter, 2,500 rows locked, 500 claimed; 10,090 buffers.
 * - as a generic plan (a named statement after 5 runs, or plan_cache_mode =
 *   force_generic_plan) the planner cannot estimate `kind <> ALL($3)` or `LIMIT $2` and
 *   picked Bitmap Heap Scan + Sort of every queued row of each tag (10,000 per tag): 2.4×
 *   slower here, and it grows with the backlog. Hence unnamed.
 * - a table never analyzed after a bulk load got the same bitmap + sort plan (est. 90 rows
 *   per tag); after ANALYZE, and also with statistics taken on the empty table, the index
 *   plan above. Autovacuum's analyze keeps it there; the migration lowers the analyze
 *   threshold of `job_queue` so a sudden backlog is re-analyzed soon.
 * - the claimed rows and their definitions were first joined to `picked` / `claimed`: with a
 *   20,000-row table the planner hashed a sequential scan of all of `job_queue` and all of
 *   `job` (11 of 20 ms for a 500-job claim), a cost growing with backlog and retention.
 *   `id = ANY (ARRAY(...))` makes them primary-key lookups whatever the sizes: claim 500
 *   went from 20.3 to 14.4 ms (same run, interleaved), and is equal with a 200,000 backlog.
 * - the UPDATE then found the picked rows again through the primary key (a bitmap scan of
 *   500 random ids: 2.3 of 10 ms for claim 500). It now reaches them by `ctid` (Tid Scan):
 *   the rows are locked by this statement, so their ctid cannot change before the UPDATE
 *   (and an UPDATE through a ctid follows the row's update chain anyway). Returning the
 *   claimed jobs as one JSON array instead of rows (to spare node-postgres's per-field
 *   parsing) was tried and measured no faster: the server's JSON building cost as much.
 * `scheduled_for <= now()` is an index condition but not a range bound (priority comes
 * first), so a future-scheduled job of high priority is stepped over on each claim.
 *
 * A named (prepared) statement per (limit bucket, excluded kinds): the unnamed statement was
 * planned on every call, 0.9-1.5 ms of planning for 0.2 ms of execution (EXPLAIN on an
 * empty queue), and a broker claims for every NOTIFY. What the generic plan of the old
 * parameterised text could not estimate (see above) is now literal: the per-tag LIMIT is the
 * claim limit rounded up to a power of two (so at most 11 statements per excluded-kinds set
 * and connection; at most twice the needed rows are locked per tag and the extras released
 * at commit), and the excluded kinds are inlined (checked against JOB_KINDS by the caller).
 * Its generic plan is the index plan above; planning drops to about 0.2 ms.
 *
 * Timestamps come back as epoch milliseconds (float8 from `date_part`, well below a millisecond off; a Date holds
 * milliseconds only): node-postgres parses a timestamptz's text with regular expressions, which was
 * a tenth of a batched worker's CPU (three per claimed job); a float is one parseFloat.
 *
 * $1 tags, $2 limit, $3 worker.
 */
const statements = new Map<string, { name: string; text: string }>();

/** The claim statement for this limit and these excluded kinds (valid JOB_KINDS only). */
export function claimJobsStatement(limit: number, excludeKinds: readonly string[]): { name: string; text: string } {
  const { perTag, kinds } = claimShape(limit, excludeKinds);
  const name = `millrace_claim_${perTag}_${kinds.join('_') || 'any'}`;
  let statement = statements.get(name);
  if (!statement) {
    statement = { name, text: claimJobsText(perTag, kindFilter(kinds)) };
    statements.set(name, statement);
  }
  return statement;
}

/** The per-tag LIMIT (the limit rounded up to a power of two) and the excluded kinds, sorted. */
export function claimShape(limit: number, excludeKinds: readonly string[]): { perTag: number; kinds: string[] } {
  let perTag = 1;
  while (perTag < limit) perTag *= 2;
  return { perTag, kinds: [...new Set(excludeKinds)].sort() };
}

/** The excluded kinds (valid JOB_KINDS only: they are inlined) as a condition on `q`. */
export function kindFilter(kinds: readonly string[]): string {
  return kinds.length > 0 ? `AND q.kind NOT IN (${kinds.map((k) => `'${k}'`).join(', ')})` : '';
}

/** The claimed jobs with their definitions, in claim order (reads `picked` and `claimed`). */
export const CLAIMED_JOBS_SELECT = `SELECT j.id, j.workspace_id, j.kind, j.path, j.language, j.content, j.lock, j.args, j.tag, j.priority, j.timeout_s,
       j.parent_job, j.root_job, j.flow_step_id, j.created_by, date_part('epoch', j.created_at) * 1000 AS created_at_ms,
       date_part('epoch', j.scheduled_for) * 1000 AS scheduled_for_ms, c.claim_id,
       date_part('epoch', c.started_at) * 1000 AS started_at_ms, c.restarts
FROM job j
JOIN claimed c ON c.id = j.id
WHERE j.id = ANY (ARRAY(SELECT id FROM picked))
ORDER BY c.priority DESC, c.scheduled_for, c.seq`;

function claimJobsText(perTag: number, kinds: string): string {
  return `
WITH ${claimCtes(perTag, kinds, { tags: '$1', limit: '$2', worker: '$3' })}
${CLAIMED_JOBS_SELECT}`;
}

/**
 * The CTEs `picked` and `claimed` (see above), after a `WITH` or a comma; `kinds` is a
 * kindFilter; `tags`, `limit` and `worker` are the placeholders that hold them. `gate`, if given, is a condition with no
 * reference to the rows (e.g. `EXISTS (SELECT 1 FROM done)`): false, and nothing is read or
 * claimed.
 */
export function claimCtes(perTag: number, kinds: string, p: { tags: string; limit: string; worker: string; gate?: string }): string {
  return `picked AS (
  SELECT c.tid, c.id, c.priority, c.scheduled_for, c.seq
  FROM ${p.gate ? `(SELECT u.tag FROM unnest(${p.tags}::text[]) AS u(tag) WHERE ${p.gate}) AS t` : `unnest(${p.tags}::text[]) AS t(tag)`}
  CROSS JOIN LATERAL (
    SELECT q.ctid AS tid, q.id, q.priority, q.scheduled_for, q.seq
    FROM job_queue q
    WHERE q.tag = t.tag AND NOT q.running AND q.scheduled_for <= now() ${kinds}
    ORDER BY q.priority DESC, q.scheduled_for, q.seq
    LIMIT ${perTag}
    FOR NO KEY UPDATE SKIP LOCKED
  ) c
  ORDER BY c.priority DESC, c.scheduled_for, c.seq
  LIMIT ${p.limit}
), claimed AS (
  UPDATE job_queue q
  SET running = true, worker = ${p.worker}, claim_id = gen_random_uuid(), started_at = now(), last_heartbeat = now()
  WHERE q.ctid = ANY (ARRAY(SELECT tid FROM picked))
  RETURNING q.id, q.claim_id, q.started_at, q.restarts, q.priority, q.scheduled_for, q.seq
)`;
}
