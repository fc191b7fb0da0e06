import { testDatabaseUrl } from '@millrace/testing';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';
import { TestClock } from '../testing/test-clock';

const NOW = new Date('2030-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

describe('workers and worker-group configs', () => {
  let gw: TestGateway;
  let db: Client;
  let t: RoleTokens;
  let revoked: string;
  const clock = new TestClock();

  beforeAll(async () => {
    clock.set(NOW);
    gw = await bootGateway({}, { clock });
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    t = await setUpWorkspace(gw.server, 'acme');
    revoked = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.superadmin)).send({ label: 'gone' }).expect(201)).text;
    await request(gw.server).delete(`/api/users/tokens/delete/${revoked.slice(0, 12)}`).set(bearer(t.superadmin)).expect(200);
    const insert = `INSERT INTO worker_ping (worker, worker_instance, worker_group, kind, tags, started_at, last_ping, current_job_id, jobs_executed, memory_bytes, version, ip, occupancy)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;
    await db.query(insert, ['wk-default-a', 'host-a', 'default', 'normal', ['bash', 'python3'], ago(3600), ago(5), null, 12, '123456789', '0.1.0', '10.0.0.1', 0.25]);
    await db.query(insert, ['ag-edge-b', 'host-b', 'edge', 'agent', ['edge'], ago(7200), ago(120), '6f9619ff-8b86-4d01-b42d-00cf4fc964ff', 3, null, '0.1.0', null, null]);
  });

  afterAll(async () => {
    await db.end();
    await gw.close();
  });

  describe('GET /api/workers/list', () => {
    it('lists every worker with alive = pinged within 60 s', async () => {
      const res = await request(gw.server).get('/api/workers/list').set(bearer(t.operator)).expect(200);
      expect(res.body).toEqual([
        {
          worker: 'wk-default-a', worker_instance: 'host-a', worker_group: 'default', kind: 'normal', tags: ['bash', 'python3'], started_at: ago(3600).toISOString(),
          last_ping: ago(5).toISOString(), current_job_id: null, jobs_executed: 12, memory_bytes: 123456789, version: '0.1.0', ip: '10.0.0.1', occupancy: 0.25, alive: true,
        },
        {
          worker: 'ag-edge-b', worker_instance: 'host-b', worker_group: 'edge', kind: 'agent', tags: ['edge'], started_at: ago(7200).toISOString(),
          last_ping: ago(120).toISOString(), current_job_id: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff', jobs_executed: 3, memory_bytes: null, version: '0.1.0', ip: null, occupancy: null, alive: false,
        },
      ].sort((a, b) => a.worker_group.localeCompare(b.worker_group)));
    });

    it('filters by ping_since and pages', async () => {
      const recent = await request(gw.server).get('/api/workers/list?ping_since=60').set(bearer(t.operator)).expect(200);
      expect(recent.body.map((w: { worker: string }) => w.worker)).toEqual(['wk-default-a']);
      const page2 = await request(gw.server).get('/api/workers/list?per_page=1&page=2').set(bearer(t.operator)).expect(200);
      expect(page2.body.map((w: { worker: string }) => w.worker)).toEqual(['ag-edge-b']);
    });

    it.each([['ping_since=0', /ping_since must not be less than 1/], ['per_page=abc', /per_page must be an integer/], ['group=x', /property group should not exist/]])(
      'answers 400 to ?%s',
      async (query, message) => {
        const res = await request(gw.server).get(`/api/workers/list?${query}`).set(bearer(t.operator)).expect(400);
        expect(res.body.error.message).toMatch(message);
      },
    );

    it('answers 401 without a token or with a revoked one', async () => {
      await request(gw.server).get('/api/workers/list').expect(401);
      await request(gw.server).get('/api/workers/list').set(bearer(revoked)).expect(401);
    });
  });

  describe('worker-group configs', () => {
    const update = (token: string, name: string, body: object) => request(gw.server).post(`/api/configs/update/${name}`).set(bearer(token)).send(body);
    const stored = async () => (await db.query(`SELECT name, config FROM worker_group_config ORDER BY name`)).rows;

    it('lets a superadmin set and replace a group\'s config, and list them', async () => {
      const res = await update(t.superadmin, 'worker__default', { worker_tags: ['bash', 'python3', 'flow'], init_bash: 'apt-get install -y jq', env: { HTTP_PROXY: 'http://proxy:3128' } }).expect(200);
      expect(res.body).toEqual({ name: 'default', config: { worker_tags: ['bash', 'python3', 'flow'], init_bash: 'apt-get install -y jq', env: { HTTP_PROXY: 'http://proxy:3128' } } });
      await update(t.superadmin, 'worker__gpu', { worker_tags: ['gpu'] }).expect(200);
      await update(t.superadmin, 'worker__default', { worker_tags: ['bash'] }).expect(200);
      expect(await stored()).toEqual([
        { name: 'default', config: { worker_tags: ['bash'] } },
        { name: 'gpu', config: { worker_tags: ['gpu'] } },
      ]);
      const list = await request(gw.server).get('/api/configs/list_worker_groups').set(bearer(t.superadmin)).expect(200);
      expect(list.body).toEqual(await stored());
    });

    it.each(['admin', 'developer', 'operator', 'outsider'] as const)('refuses a non-superadmin (%s) with 403 and changes nothing', async (who) => {
      const before = await stored();
      await update(t[who], 'worker__default', { worker_tags: ['evil'] }).expect(403);
      await request(gw.server).get('/api/configs/list_worker_groups').set(bearer(t[who])).expect(403);
      expect(await stored()).toEqual(before);
    });

    it('answers 401 without a token or with a revoked one', async () => {
      await request(gw.server).post('/api/configs/update/worker__default').send({ worker_tags: ['x'] }).expect(401);
      await update(revoked, 'worker__default', { worker_tags: ['x'] }).expect(401);
      await request(gw.server).get('/api/configs/list_worker_groups').expect(401);
    });

    it.each([
      ['an invalid tag', 'worker__default', { worker_tags: ['ok', 'not ok'] }, 400, /worker_tags: "not ok" is not a valid tag/],
      ['no tags', 'worker__default', { worker_tags: [] }, 400, /worker_tags must contain at least 1 elements/],
      ['tags that are not a list', 'worker__default', { worker_tags: 'bash' }, 400, /worker_tags must be an array/],
      ['a repeated tag', 'worker__default', { worker_tags: ['a', 'a'] }, 400, /must not repeat a tag/],
      ['a bad env name', 'worker__default', { worker_tags: ['a'], env: { 'BAD-NAME': 'x' } }, 400, /env must be an object of at most 200 variables/],
      ['a non-string env value', 'worker__default', { worker_tags: ['a'], env: { A: 1 } }, 400, /env must be an object/],
      ['a non-string init_bash', 'worker__default', { worker_tags: ['a'], init_bash: ['echo'] }, 400, /init_bash must be a string/],
      ['an unknown field', 'worker__default', { worker_tags: ['a'], replicas: 3 }, 400, /property replicas should not exist/],
      ['a bad group name', 'worker__Bad_Group', { worker_tags: ['a'] }, 400, /worker group "Bad_Group" is not valid/],
      ['an empty group name', 'worker__', { worker_tags: ['a'] }, 400, /worker group "" is not valid/],
      ['a config that is not a worker group', 'alerts', { worker_tags: ['a'] }, 404, /worker-group configs are named worker__<group>/],
    ])('answers %s with a 4xx naming it and changes nothing', async (_name, name, body, status, message) => {
      const before = await stored();
      const res = await update(t.superadmin, name, body).expect(status);
      expect(res.body.error.message).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  });
});
