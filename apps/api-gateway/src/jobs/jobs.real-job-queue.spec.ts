import { PgJobQueue } from '@millrace/queue';
import { testDatabaseUrl } from '@millrace/testing';
import { generateKeyPairSync } from 'node:crypto';
import { Pool } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';
import { RunningJobQueue, startBuiltJobQueue } from '../testing/real-job-queue';

const TS = 'export async function main(x: number, region = "eu"): Promise<number> {\n  return x * 2;\n}\n';

/** The gateway against the real job-queue process: the contract, not a fake of it. */
describe('job routes against the real job-queue', () => {
  let jq: RunningJobQueue;
  let gw: TestGateway;
  let pool: Pool;
  let queue: PgJobQueue;
  let t: RoleTokens;

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    jq = await startBuiltJobQueue(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    gw = await bootGateway({ JOB_QUEUE_URL: jq.url, JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    queue = new PgJobQueue(pool);
    t = await setUpWorkspace(gw.server, 'acme');
    await request(gw.server).post('/api/w/acme/scripts/create').set(bearer(t.developer)).send({ path: 'u/dev/double', language: 'typescript', content: TS, tag: 'it-$args[region]' }).expect(201);
  });

  afterAll(async () => {
    await gw.close();
    await pool.end();
    await jq.stop();
  });

  /** Claims the job as a worker of `tag` would (it may take a moment to be pushed). */
  async function claim(tag: string) {
    for (let i = 0; i < 200; i++) {
      const [job] = await queue.claim({ worker: 'wk-it-1', tags: [tag], limit: 1 });
      if (job) return job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no job with tag ${tag} appeared`);
  }

  it('pushes the compiled snapshot for the caller, and reads it back', async () => {
    const id = (await request(gw.server).post('/api/w/acme/jobs/run/p/u/dev/double').set(bearer(t.operator)).send({ x: 4, region: 'us' }).expect(201)).text;
    const row = await pool.query(`SELECT kind, path, language, content, tag, args, created_by FROM job WHERE id = $1`, [id]);
    expect(row.rows[0]).toMatchObject({ kind: 'script', path: 'u/dev/double', language: 'typescript', tag: 'it-us', args: { x: 4, region: 'us' }, created_by: 'operator.acme@millrace.test' });
    expect(row.rows[0].content).toContain('exports.main = main');
    const got = await request(gw.server).get(`/api/w/acme/jobs_u/get/${id}`).set(bearer(t.operator)).expect(200);
    expect(got.body).toMatchObject({ id, type: 'QueuedJob', job_kind: 'script', tag: 'it-us', running: false, canceled: false, logs: '' });
    const logs = await request(gw.server).get(`/api/w/acme/jobs_u/get_logs/${id}`).set(bearer(t.operator)).expect(200);
    expect(logs.text).toBe('');
    const early = await request(gw.server).get(`/api/w/acme/jobs_u/completed/get_result/${id}`).set(bearer(t.operator)).expect(409);
    expect(early.body.error.code).toBe('not_completed');
    const job = await claim('it-us');
    await queue.complete(job.id, job.claimId, { success: true, result: 'eight' });
    const result = await request(gw.server).get(`/api/w/acme/jobs_u/completed/get_result/${id}`).set(bearer(t.operator)).expect(200);
    expect(result.text).toBe('"eight"');
    const list = await request(gw.server).get('/api/w/acme/jobs/list?success=true').set(bearer(t.operator)).expect(200);
    expect((list.body as Array<{ id: string }>).map((j) => j.id)).toContain(id);
  });

  it('run_wait_result answers with the result a worker reports', async () => {
    const waited = request(gw.server).post('/api/w/acme/jobs/run_wait_result/p/u/dev/double?timeout_s=60').set(bearer(t.operator)).send({ x: 21, region: 'wait' }).then((r) => r);
    const job = await claim('it-wait');
    await queue.complete(job.id, job.claimId, { success: true, result: { doubled: 42 } });
    const res = await waited;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ doubled: 42 });
  });

  it('run_wait_result answers 408 when no worker finishes it in time', async () => {
    const res = await request(gw.server).post('/api/w/acme/jobs/run_wait_result/p/u/dev/double?timeout_s=1').set(bearer(t.operator)).send({ x: 1, region: 'nobody' }).expect(408);
    expect(res.body.error.message).toMatch(/has not finished within 1 s/);
  });

  it('passes job-queue\'s argument validation through as 400', async () => {
    const res = await request(gw.server).post('/api/w/acme/jobs/run/p/u/dev/double').set(bearer(t.operator)).send({ x: 'four' }).expect(400);
    expect(res.body.error.message).toMatch(/"x"/);
  });

  it('cancels a queued job once; the second cancel is 409', async () => {
    const id = (await request(gw.server).post('/api/w/acme/jobs/run/p/u/dev/double').set(bearer(t.operator)).send({ x: 1, region: 'cancel' }).expect(201)).text;
    const res = await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${id}`).set(bearer(t.admin)).send({ reason: 'not today' }).expect(200);
    expect(res.body).toEqual({ status: 'canceled' });
    const got = await request(gw.server).get(`/api/w/acme/jobs_u/get/${id}`).set(bearer(t.operator)).expect(200);
    expect(got.body).toMatchObject({ type: 'CompletedJob', canceled: true, canceled_by: 'admin.acme@millrace.test', canceled_reason: 'not today' });
    await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${id}`).set(bearer(t.admin)).send({}).expect(409);
  });

  it('keeps workspaces apart: a job is 404 through another workspace', async () => {
    const id = (await request(gw.server).post('/api/w/acme/jobs/run/p/u/dev/double').set(bearer(t.operator)).send({ x: 1, region: 'apart' }).expect(201)).text;
    await request(gw.server).post('/api/workspaces/create').set(bearer(t.operator)).send({ id: 'other', name: 'Other' }).expect(201);
    await request(gw.server).get(`/api/w/other/jobs_u/get/${id}`).set(bearer(t.operator)).expect(404);
  });
});
