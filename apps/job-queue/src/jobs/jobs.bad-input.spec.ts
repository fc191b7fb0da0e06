import request from 'supertest';
import { bootJobQueue, JobQueueHarness } from '../testing/job-queue.fixture';

const bash = { kind: 'script', language: 'bash', content: 'echo hi' };
const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], order: ['n'] };
const missing = '00000000-0000-4000-8000-000000000000';

describe('job-queue internal API refuses bad input with a 4xx naming the problem, changing nothing', () => {
  let h: JobQueueHarness;
  let existing: string;
  const http = () => request(h.app.getHttpServer());
  const auth = () => ({ Authorization: `Bearer ${h.token}` });
  const count = async () => (await http().get('/internal/v1/w/acme/jobs?per_page=1000').set(auth()).expect(200)).body.length as number;

  beforeAll(async () => {
    h = await bootJobQueue();
    existing = (await http().post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, tag: 'nobody' }).expect(201)).body.id;
  });
  afterAll(() => h.app.close());

  const pushes: Array<[string, object, number, RegExp]> = [
    ['an unknown kind', { ...bash, kind: 'shell' }, 400, /kind/],
    ['an unknown language', { ...bash, language: 'ruby' }, 400, /language/],
    ['a script without language', { kind: 'script', content: 'x' }, 400, /language is required/],
    ['a script without content', { kind: 'script', language: 'bash' }, 400, /content is required/],
    ['an unknown field', { ...bash, colour: 'red' }, 400, /colour/],
    ['args that are not an object', { ...bash, args: [1, 2] }, 400, /args/],
    ['a priority out of range', { ...bash, priority: 5000 }, 400, /priority/],
    ['a fractional timeout', { ...bash, timeout_s: 1.5 }, 400, /timeout_s/],
    ['a bad scheduled_for', { ...bash, scheduled_for: 'tomorrow' }, 400, /scheduled_for/],
    ['a bad parent_job', { ...bash, parent_job: 'x' }, 400, /parent_job/],
    ['a missing argument for a dynamic tag', { ...bash, script_tag: 'r-$args[region]' }, 400, /argument "region"/],
    ['an object argument for a dynamic tag', { ...bash, script_tag: 'r-$args[region]', args: { region: { a: 1 } } }, 400, /an object/],
    ['a malformed resolved tag', { ...bash, tag: 'has space' }, 400, /not valid/],
    ['a missing required argument', { ...bash, schema }, 400, /"n" is required/],
    ['an argument of the wrong type', { ...bash, schema, args: { n: 'x' } }, 400, /"n" must be an integer/],
  ];

  it.each(pushes)('push with %s', async (_name, body, status, message) => {
    const before = await count();
    const res = await http().post('/internal/v1/w/acme/jobs').set(auth()).send(body).expect(status);
    expect(res.body.error.message).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await http().post('/internal/v1/w/acme/jobs').set(auth()).set('content-type', 'application/json').send('{"kind":').expect(400);
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await http().post('/internal/v1/w/acme/jobs').set(auth()).send({ ...bash, content: 'x'.repeat(11 * 1024 * 1024) }).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses a whole batch when one job is bad, naming it', async () => {
    const before = await count();
    const res = await http()
      .post('/internal/v1/w/acme/jobs/batch')
      .set(auth())
      .send({ jobs: [bash, { ...bash, tag: 'bad tag' }] })
      .expect(400);
    expect(res.body.error.message).toMatch(/not valid/);
    const res2 = await http().post('/internal/v1/w/acme/jobs/batch').set(auth()).send({ jobs: [bash, { ...bash, schema }] }).expect(400);
    expect(res2.body.error.message).toMatch(/jobs\[1\]\.argument "n" is required/);
    await http().post('/internal/v1/w/acme/jobs/batch').set(auth()).send({ jobs: [] }).expect(400);
    await http().post('/internal/v1/w/acme/jobs/batch').set(auth()).send({ jobs: [{ ...bash, kind: 'nope' }] }).expect(400);
    expect(await count()).toBe(before);
  });

  it.each([
    ['get', 'get', (id: string) => `/internal/v1/w/acme/jobs/${id}`],
    ['result', 'get', (id: string) => `/internal/v1/w/acme/jobs/${id}/result`],
    ['logs', 'get', (id: string) => `/internal/v1/w/acme/jobs/${id}/logs`],
    ['cancel', 'post', (id: string) => `/internal/v1/w/acme/jobs/${id}/cancel`],
    ['wait', 'post', (id: string) => `/internal/v1/w/acme/jobs/${id}/wait?timeout_s=1`],
  ] as const)('%s: a malformed id is 400 and an unknown one 404', async (_name, method, path) => {
    const bad = await http()[method](path('not-a-uuid')).set(auth()).expect(400);
    expect(bad.body.error.message).toMatch(/id must be a job id/);
    await http()[method](path(missing)).set(auth()).expect(404);
  });

  it('refuses a malformed workspace id', async () => {
    const res = await http().get('/internal/v1/w/Not_A_Workspace/jobs').set(auth()).expect(400);
    expect(res.body.error.message).toMatch(/ws must be a workspace id/);
  });

  it.each([
    ['running=maybe', /running/],
    ['per_page=0', /per_page/],
    ['per_page=5000', /per_page/],
    ['page=-1', /page/],
    ['job_kinds=script,bogus', /job_kinds/],
    ['colour=red', /colour/],
  ])('list with %s is 400', async (query, message) => {
    const res = await http().get(`/internal/v1/w/acme/jobs?${query}`).set(auth()).expect(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('cancel with an unknown field or a bad reason is 400 and the job stays queued', async () => {
    await http().post(`/internal/v1/w/acme/jobs/${existing}/cancel`).set(auth()).send({ force: 'yes' }).expect(400);
    await http().post(`/internal/v1/w/acme/jobs/${existing}/cancel`).set(auth()).send({ reason: 'x'.repeat(2000) }).expect(400);
    await http().post(`/internal/v1/w/acme/jobs/${existing}/cancel`).set(auth()).send({ why: 'x' }).expect(400);
    const got = await http().get(`/internal/v1/w/acme/jobs/${existing}`).set(auth()).expect(200);
    expect(got.body.type).toBe('QueuedJob');
  });

  it('wait with a timeout out of range is 400', async () => {
    await http().post(`/internal/v1/w/acme/jobs/${existing}/wait?timeout_s=0`).set(auth()).expect(400);
    await http().post(`/internal/v1/w/acme/jobs/${existing}/wait?timeout_s=301`).set(auth()).expect(400);
  });
});
