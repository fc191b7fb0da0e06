import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { FakeJobQueue } from '../testing/fake-job-queue';
import { bearer, bootGateway, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';

const TS = 'export async function main(x: number, label = "n"): Promise<number> {\n  return x * 2;\n}\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('job routes (gateway → job-queue)', () => {
  let gw: TestGateway;
  let fake: FakeJobQueue;
  let t: RoleTokens;
  let revoked: string;

  beforeAll(async () => {
    let dataDir = '';
    fake = new FakeJobQueue(() => readFileSync(path.join(dataDir, 'keys', 'jwt-es256.pub.pem'), 'utf8'));
    const url = await fake.start();
    gw = await bootGateway({ JOB_QUEUE_URL: url });
    dataDir = gw.dataDir;
    t = await setUpWorkspace(gw.server, 'acme');
    revoked = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.operator)).send({ label: 'gone' }).expect(201)).text;
    await request(gw.server).delete(`/api/users/tokens/delete/${revoked.slice(0, 12)}`).set(bearer(t.operator)).expect(200);
    await request(gw.server).post('/api/w/acme/scripts/create').set(bearer(t.developer)).send({ path: 'u/dev/double', language: 'typescript', content: TS, tag: 'gpu', priority: 3, timeout_s: 120 }).expect(201);
  });

  afterAll(async () => {
    await gw.close();
    await fake.close();
  });

  beforeEach(() => {
    fake.onPush = undefined;
  });

  const run = (token: string, args: unknown, query = '') => request(gw.server).post(`/api/w/acme/jobs/run/p/u/dev/double${query}`).set(bearer(token)).send(args as object);
  const lastCall = () => fake.calls[fake.calls.length - 1]!;

  describe('POST jobs/run/p/{path}', () => {
    it('snapshots the latest script version into the push and answers 201 with the job id', async () => {
      const res = await run(t.operator, { x: 21 }).expect(201);
      expect(res.text).toMatch(UUID);
      const call = lastCall();
      expect(call.method).toBe('POST');
      expect(call.path).toBe('/internal/v1/w/acme/jobs');
      expect(call.body).toMatchObject({ kind: 'script', path: 'u/dev/double', language: 'typescript', args: { x: 21 }, script_tag: 'gpu', priority: 3, timeout_s: 120 });
      const push = call.body as { content: string; schema: { order: string[]; required: string[] } };
      expect(push.content).toContain('exports.main = main');
      expect(push.content).not.toContain('x: number');
      expect(push.schema).toMatchObject({ order: ['x', 'label'], required: ['x'] });
      expect(fake.jobs.get(res.text)?.tag).toBe('gpu');
    });

    it('sends a 60-second ES256 service token for the caller and the workspace', async () => {
      await run(t.operator, { x: 1 }).expect(201);
      const { claims } = lastCall();
      expect(claims).toMatchObject({ sub: 'operator.acme@millrace.test', aud: 'millrace-internal', ws: 'acme', super_admin: false });
      expect(Number(claims['exp']) - Number(claims['iat'])).toBe(60);
      const req = fake.calls.length;
      await run(t.superadmin, { x: 1 }).expect(201);
      expect(fake.calls[req]!.claims).toMatchObject({ sub: 'root@millrace.test', super_admin: true });
    });

    it('passes the tag, priority and scheduled_for overrides', async () => {
      await run(t.operator, { x: 1 }, '?tag=cpu-$workspace&priority=-5&scheduled_for=2030-01-01T00:00:00Z').expect(201);
      expect(lastCall().body).toMatchObject({ tag: 'cpu-$workspace', priority: -5, scheduled_for: '2030-01-01T00:00:00Z' });
    });

    it('passes job-queue\'s 400 on bad args through, naming the argument', async () => {
      const res = await run(t.operator, { x: 'not a number' }).expect(400);
      expect(res.body.error.message).toMatch(/argument "x" must be a number, got string/);
      const missing = await run(t.operator, {}).expect(400);
      expect(missing.body.error.message).toMatch(/argument "x" is required/);
    });

    it.each([
      ['an array body', [1, 2], '', /the body must be a JSON object of arguments/],
      ['a bad priority', { x: 1 }, '?priority=high', /priority must be an integer/],
      ['a bad scheduled_for', { x: 1 }, '?scheduled_for=soon', /scheduled_for must be a valid ISO 8601 date string/],
      ['an unknown query parameter', { x: 1 }, '?memory=big', /property memory should not exist/],
    ])('answers 400 to %s without pushing', async (_name, body, query, message) => {
      const before = fake.calls.length;
      const res = await run(t.operator, body, query).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect(fake.calls.length).toBe(before);
    });

    it('answers 413 to args over 1 MB without pushing', async () => {
      const before = fake.calls.length;
      const res = await run(t.operator, { x: 1, label: 'y'.repeat(1024 * 1024) }).expect(413);
      expect(res.body.error.message).toMatch(/args must be at most 1048576 bytes/);
      expect(fake.calls.length).toBe(before);
    });

    it('answers 404 for an unknown script and 400 for a malformed path, without pushing', async () => {
      const before = fake.calls.length;
      const res = await request(gw.server).post('/api/w/acme/jobs/run/p/u/dev/missing').set(bearer(t.operator)).send({}).expect(404);
      expect(res.body.error.message).toBe('script u/dev/missing not found in workspace acme');
      await request(gw.server).post('/api/w/acme/jobs/run/p/nope').set(bearer(t.operator)).send({}).expect(400);
      expect(fake.calls.length).toBe(before);
    });
  });

  describe('POST jobs/run/preview', () => {
    it('compiles and queues unsaved code for a developer', async () => {
      const res = await request(gw.server).post('/api/w/acme/jobs/run/preview').set(bearer(t.developer)).send({ content: TS, language: 'typescript', args: { x: 2 }, tag: 'dev' }).expect(201);
      expect(res.text).toMatch(UUID);
      expect(lastCall().body).toMatchObject({ kind: 'preview', language: 'typescript', args: { x: 2 }, tag: 'dev', schema: { order: ['x', 'label'] } });
      expect((lastCall().body as { content: string }).content).toContain('exports.main');
    });

    it.each([
      ['a syntax error', { content: 'export function main( {', language: 'typescript' }, /content: main\.ts:1:/],
      ['no main', { content: 'x = 1', language: 'python3' }, /no main function/],
      ['args that are not an object', { content: TS, language: 'typescript', args: [1] }, /args must be a JSON object/],
      ['an unknown language', { content: 'x', language: 'go' }, /language must be one of/],
      ['an unknown field', { content: TS, language: 'typescript', path: 'u/x/y' }, /property path should not exist/],
    ])('answers 400 to %s without pushing', async (_name, body, message) => {
      const before = fake.calls.length;
      const res = await request(gw.server).post('/api/w/acme/jobs/run/preview').set(bearer(t.developer)).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect(fake.calls.length).toBe(before);
    });

    it('refuses an operator (previews are for developers and above)', async () => {
      await request(gw.server).post('/api/w/acme/jobs/run/preview').set(bearer(t.operator)).send({ content: TS, language: 'typescript' }).expect(403);
    });
  });

  it('answers 404 to jobs/run/f/{path}: flows are not available yet', async () => {
    const res = await request(gw.server).post('/api/w/acme/jobs/run/f/f/flows/etl').set(bearer(t.operator)).send({}).expect(404);
    expect(res.body.error.message).toMatch(/flow f\/flows\/etl not found .*not available yet/);
  });

  describe('POST jobs/run_wait_result/p/{path}', () => {
    const wait = (args: object, query = '') => request(gw.server).post(`/api/w/acme/jobs/run_wait_result/p/u/dev/double${query}`).set(bearer(t.operator)).send(args);

    it('answers with the result once the job completes', async () => {
      fake.onPush = (job) => ({ success: true, result: { doubled: Number(job.args['x']) * 2 } });
      const res = await wait({ x: 4 }).expect(200);
      expect(res.body).toEqual({ doubled: 8 });
      expect(lastCall()).toMatchObject({ method: 'POST', query: { timeout_s: '60' } });
      expect(lastCall().path).toMatch(/\/internal\/v1\/w\/acme\/jobs\/[0-9a-f-]{36}\/wait$/);
    });

    it('sends a string result as a JSON string', async () => {
      fake.onPush = () => ({ success: true, result: 'plain text' });
      const res = await wait({ x: 1 }).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.text).toBe('"plain text"');
    });

    it('answers 408 past timeout_s, naming the job that keeps running', async () => {
      const res = await wait({ x: 1 }, '?timeout_s=5').expect(408);
      expect(lastCall().query).toEqual({ timeout_s: '5' });
      expect(res.body.error.message).toMatch(/^job [0-9a-f-]{36} has not finished within 5 s/);
    });

    it('answers 422 when the job fails or is canceled', async () => {
      fake.onPush = () => ({ success: false, error: 'division by zero' });
      const failed = await wait({ x: 1 }).expect(422);
      expect(failed.body.error).toEqual({ code: 'job_failed', message: expect.stringMatching(/failed: division by zero$/) });
      fake.onPush = () => ({ canceled: 'operator said so' });
      const canceled = await wait({ x: 1 }).expect(422);
      expect(canceled.body.error).toEqual({ code: 'job_canceled', message: expect.stringMatching(/was canceled: operator said so$/) });
    });

    it.each(['timeout_s=0', 'timeout_s=301', 'timeout_s=ten'])('answers 400 to %s without pushing', async (query) => {
      const before = fake.calls.length;
      const res = await wait({ x: 1 }, `?${query}`).expect(400);
      expect(res.body.error.message).toMatch(/timeout_s/);
      expect(fake.calls.length).toBe(before);
    });
  });

  describe('reading and canceling jobs', () => {
    let id: string;

    beforeAll(async () => {
      id = (await run(t.operator, { x: 5 }).expect(201)).text;
      fake.jobs.get(id)!.logs = 'line 1\nline 2\n';
    });

    it('gets a job with its logs', async () => {
      const res = await request(gw.server).get(`/api/w/acme/jobs_u/get/${id}`).set(bearer(t.operator)).expect(200);
      expect(res.body).toMatchObject({ id, type: 'QueuedJob', job_kind: 'script', tag: 'gpu', running: false, canceled: false, logs: 'line 1\nline 2\n', created_by: 'operator.acme@millrace.test' });
    });

    it('gets the logs as text', async () => {
      const res = await request(gw.server).get(`/api/w/acme/jobs_u/get_logs/${id}`).set(bearer(t.operator)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe('line 1\nline 2\n');
    });

    it('passes job-queue\'s 409 while the job is not completed, then the result', async () => {
      const early = await request(gw.server).get(`/api/w/acme/jobs_u/completed/get_result/${id}`).set(bearer(t.operator)).expect(409);
      expect(early.body.error.code).toBe('not_completed');
      fake.complete(id, { success: true, result: [1, 'two', null] });
      const res = await request(gw.server).get(`/api/w/acme/jobs_u/completed/get_result/${id}`).set(bearer(t.operator)).expect(200);
      expect(res.body).toEqual([1, 'two', null]);
    });

    it('lists jobs, forwarding the filters', async () => {
      const res = await request(gw.server).get('/api/w/acme/jobs/list?running=false&success=true&tag=gpu&worker=w1&job_kinds=script,preview&page=2&per_page=10').set(bearer(t.operator)).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      expect(lastCall()).toMatchObject({ method: 'GET', path: '/internal/v1/w/acme/jobs', query: { running: 'false', success: 'true', tag: 'gpu', worker: 'w1', job_kinds: 'script,preview', page: '2', per_page: '10' } });
      const all = await request(gw.server).get('/api/w/acme/jobs/list').set(bearer(t.operator)).expect(200);
      expect((all.body as Array<{ id: string }>).map((j) => j.id)).toContain(id);
    });

    it.each([
      ['running=yes', /running must be true or false/],
      ['job_kinds=script,cron', /job_kinds must be a comma list of/],
      ['per_page=5000', /per_page must not be greater than 1000/],
      ['order=asc', /property order should not exist/],
    ])('answers 400 to list?%s', async (query, message) => {
      const res = await request(gw.server).get(`/api/w/acme/jobs/list?${query}`).set(bearer(t.operator)).expect(400);
      expect(res.body.error.message).toMatch(message);
    });

    it('cancels a queued job for the caller, and 409s once it is completed', async () => {
      const queued = (await run(t.operator, { x: 1 }).expect(201)).text;
      const res = await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${queued}`).set(bearer(t.operator)).send({ reason: 'not needed' }).expect(200);
      expect(res.body).toEqual({ status: 'canceled' });
      expect(fake.jobs.get(queued)).toMatchObject({ canceled: true, canceled_by: 'operator.acme@millrace.test', canceled_reason: 'not needed' });
      const again = await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${queued}`).set(bearer(t.operator)).send({}).expect(409);
      expect(again.body.error.message).toMatch(/already completed/);
    });

    it('answers 400 to a bad cancel body', async () => {
      await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${id}`).set(bearer(t.operator)).send({ reason: 42 }).expect(400);
      await request(gw.server).post(`/api/w/acme/jobs_u/queue/cancel/${id}`).set(bearer(t.operator)).send({ force: true }).expect(400);
    });

    it.each(['jobs_u/get', 'jobs_u/get_logs', 'jobs_u/completed/get_result'])('%s: 400 for a malformed id, 404 for an unknown one', async (route) => {
      const bad = await request(gw.server).get(`/api/w/acme/${route}/not-a-uuid`).set(bearer(t.operator)).expect(400);
      expect(bad.body.error.message).toBe('id must be a UUID');
      await request(gw.server).get(`/api/w/acme/${route}/00000000-0000-4000-8000-000000000000`).set(bearer(t.operator)).expect(404);
    });

    it('does not show one workspace\'s job through another', async () => {
      await request(gw.server).post('/api/workspaces/create').set(bearer(t.operator)).send({ id: 'other', name: 'Other' }).expect(201);
      await request(gw.server).get(`/api/w/other/jobs_u/get/${id}`).set(bearer(t.operator)).expect(404);
    });
  });

  describe('role matrix on every job route', () => {
    const job = '00000000-0000-4000-8000-000000000001';
    // Every row has four cells: jest would take a missing fourth one for a done() callback.
    const routes: Array<[string, 'get' | 'post', string, object | null]> = [
      ['run', 'post', '/api/w/acme/jobs/run/p/u/dev/double', { x: 1 }],
      ['preview', 'post', '/api/w/acme/jobs/run/preview', { content: 'echo', language: 'bash' }],
      ['run flow', 'post', '/api/w/acme/jobs/run/f/f/a/b', {}],
      ['run_wait_result', 'post', '/api/w/acme/jobs/run_wait_result/p/u/dev/double?timeout_s=1', { x: 1 }],
      ['get', 'get', `/api/w/acme/jobs_u/get/${job}`, null],
      ['get_result', 'get', `/api/w/acme/jobs_u/completed/get_result/${job}`, null],
      ['get_logs', 'get', `/api/w/acme/jobs_u/get_logs/${job}`, null],
      ['list', 'get', '/api/w/acme/jobs/list', null],
      ['cancel', 'post', `/api/w/acme/jobs_u/queue/cancel/${job}`, {}],
    ];

    it.each(routes)('%s: non-member 404, no token 401, revoked token 401, nothing sent to job-queue', async (_name, method, url, body) => {
      const before = fake.calls.length;
      const call = (token?: string) => {
        const r = method === 'get' ? request(gw.server).get(url) : request(gw.server).post(url).send(body ?? {});
        return token ? r.set(bearer(token)) : r;
      };
      await call(t.outsider).expect(404);
      await call().expect(401);
      await call(revoked).expect(401);
      expect(fake.calls.length).toBe(before);
    });

    it.each(['superadmin', 'admin', 'developer', 'operator'] as const)('%s may run and read', async (who) => {
      fake.onPush = () => ({ success: true, result: who });
      await run(t[who], { x: 1 }).expect(201);
      const res = await request(gw.server).post('/api/w/acme/jobs/run_wait_result/p/u/dev/double').set(bearer(t[who])).send({ x: 1 }).expect(200);
      expect(res.body).toBe(who);
      await request(gw.server).get('/api/w/acme/jobs/list').set(bearer(t[who])).expect(200);
      await request(gw.server).post('/api/w/acme/jobs/run/preview').set(bearer(t[who])).send({ content: 'echo hi', language: 'bash' }).expect(who === 'operator' ? 403 : 201);
    });
  });

  describe('when job-queue misbehaves', () => {
    it('turns a job-queue 5xx into 502', async () => {
      fake.nextFailure = { status: 500, body: JSON.stringify({ error: { code: 'internal', message: 'disk full' } }) };
      const res = await run(t.operator, { x: 1 }).expect(502);
      expect(res.body.error).toEqual({ code: 'bad_gateway', message: 'job-queue failed (500): disk full' });
    });

    it('turns job-queue refusing the service token into 502 naming the key', async () => {
      fake.nextFailure = { status: 401, body: JSON.stringify({ error: { code: 'unauthorized', message: 'invalid signature' } }) };
      const res = await request(gw.server).get('/api/w/acme/jobs/list').set(bearer(t.operator)).expect(502);
      expect(res.body.error.message).toMatch(/refused the gateway's service token \(invalid signature\).*JWT_PUBLIC_KEY/);
    });

    it('answers 503 when job-queue cannot be reached', async () => {
      await fake.close();
      const res = await run(t.operator, { x: 1 }).expect(503);
      expect(res.body.error).toEqual({ code: 'unavailable', message: expect.stringMatching(/^job-queue did not answer \(ECONNREFUSED\)/) });
      await request(gw.server).get('/api/w/acme/jobs/list').set(bearer(t.operator)).expect(503);
    });
  });
});
