// `run.mjs --explain`: the plans PostgreSQL actually runs for PgJobQueue's claim and
// completion under the drain's backlog. auto_explain (shipped with PostgreSQL) reports them
// as NOTICEs on the claiming connection, so what is explained is the library's own SQL with
// its real parameters, through its public API, not a copy of the statement.
import { Pool, type PoolClient } from 'pg';
import { PgJobQueue, type ClaimedJob, type JobOutcome, type NewJob } from '@millrace/queue';
import type { DriverSpec } from './driver-io';

const OK: JobOutcome = { success: true, result: null };

/**
 * auto_explain prints the statement and its parameters (thousands of uuids for a batch)
 * before the plan; the SQL is in libs/queue, so keep the duration line and the plan.
 */
function withoutQuery(message: string): string {
  const lines = message.split('\n');
  const params = lines.findIndex((l) => l.startsWith('Query Parameters:'));
  const text = lines.findIndex((l) => l.startsWith('Query Text:'));
  if (text < 0) return message;
  const planStart = params >= 0 ? params + 1 : lines.findIndex((l, i) => i > text && /^\S.*\(cost=/.test(l));
  return [lines[0], ...lines.slice(planStart)].join('\n');
}

export async function explainClaims(spec: DriverSpec, job: NewJob): Promise<{ plans: Array<{ step: string; plan: string }> }> {
  const producerPool = new Pool({ connectionString: spec.url, max: 1 });
  const explained = new Pool({ connectionString: spec.url, max: 1, application_name: 'bench-explain' });
  const notices: string[] = [];
  explained.on('connect', (client: PoolClient) => {
    client.on('notice', (msg) => notices.push(withoutQuery(msg.message ?? '')));
    // Queued on the client before any query the pool hands it out for.
    void client.query(
      `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
       SET auto_explain.log_buffers = on; SET auto_explain.log_level = notice`,
    );
  });
  try {
    const producer = new PgJobQueue(producerPool);
    for (let from = 0; from < spec.jobs; from += spec.chunk) {
      await producer.pushMany(Array.from({ length: Math.min(spec.chunk, spec.jobs - from) }, () => ({ ...job })));
    }
    if (spec.analyze) await producerPool.query('ANALYZE');
    const queue = new PgJobQueue(explained);
    await explained.query('SELECT 1');
    const plans: Array<{ step: string; plan: string }> = [];
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      notices.length = 0;
      const out = await fn();
      plans.push({ step: name, plan: notices.join('\n') });
      return out;
    };
    // Twice each: the second claim runs after the first one's claimed rows left the index's
    // live range, as in a drain.
    for (const limit of [1, spec.batch]) {
      for (const round of [1, 2]) {
        const jobs: ClaimedJob[] = await step(`claim limit ${limit} (#${round})`, () => queue.claim({ worker: 'bench-explain', tags: ['bench'], limit }));
        const items = jobs.map((j) => ({ jobId: j.id, claimId: j.claimId, outcome: OK }));
        await step(`completeMany of ${items.length} (#${round})`, () => queue.completeMany(items));
      }
    }
    return { plans };
  } finally {
    await Promise.all([producerPool.end(), explained.end()]);
  }
}
