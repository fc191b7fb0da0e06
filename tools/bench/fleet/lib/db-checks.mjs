// What the database says after the run: which pushed jobs completed, and where the time of
// a dispatch went, on PostgreSQL's own clock (no cross-process clocks involved).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until no job of `tagPattern` (LIKE) is left in job_queue. */
export async function drained(db, tagPattern, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM job_queue WHERE tag LIKE $1', [tagPattern]);
    if (rows[0].n === 0) return true;
    await sleep(100);
  }
  return false;
}

/** Of `ids`: how many completed successfully, and how many are still queued or running. */
export async function outcome(db, ids) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM job_completed WHERE id = ANY($1::uuid[]) AND success)::int AS ok,
            (SELECT count(*) FROM job_queue WHERE id = ANY($1::uuid[]))::int AS queued`,
    [ids],
  );
  return rows[0];
}

/**
 * Splits a phase's dispatch on the database clock: push (job.created_at, the push
 * transaction's start) -> claim (job_completed.started_at) and claim -> completion. A slow
 * push -> claim points at the dispatcher or the database; a fast one with a slow
 * push -> receive at the broker's HTTP side or the clients.
 */
export async function dispatchBreakdown(db, phase) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_ms) AS claim_p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY claim_ms) AS claim_p99,
            max(claim_ms) AS claim_max,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY run_ms) AS run_p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY run_ms) AS run_p99
       FROM (SELECT EXTRACT(EPOCH FROM c.started_at - j.created_at) * 1000 AS claim_ms,
                    EXTRACT(EPOCH FROM c.completed_at - c.started_at) * 1000 AS run_ms
               FROM job j JOIN job_completed c ON c.id = j.id
              WHERE j.args->>'phase' = $1) d`,
    [phase],
  );
  const r = rows[0];
  const f = (x) => (x === null ? NaN : Number(x));
  return { n: r.n, claimP50: f(r.claim_p50), claimP99: f(r.claim_p99), claimMax: f(r.claim_max), runP50: f(r.run_p50), runP99: f(r.run_p99) };
}

/** Per second of push time: jobs, worst push -> claim and claim -> completed (for --json). */
export async function dispatchTimeline(db, phase) {
  const { rows } = await db.query(
    `SELECT to_char(date_trunc('second', j.created_at), 'HH24:MI:SS') AS second, count(*)::int AS jobs,
            round(max(EXTRACT(EPOCH FROM c.started_at - j.created_at) * 1000)) AS claim_max_ms,
            round(max(EXTRACT(EPOCH FROM c.completed_at - c.started_at) * 1000)) AS run_max_ms
       FROM job j JOIN job_completed c ON c.id = j.id
      WHERE j.args->>'phase' = $1 GROUP BY 1 ORDER BY 1`,
    [phase],
  );
  return rows;
}
