import { testDatabaseUrl } from '@millrace/testing';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, login, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';

describe('workspaces and roles', () => {
  let gw: TestGateway;
  let db: Client;
  let t: RoleTokens;
  let revoked: string;

  beforeAll(async () => {
    gw = await bootGateway();
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    t = await setUpWorkspace(gw.server, 'acme');
    revoked = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.admin)).send({ label: 'gone' }).expect(201)).text;
    await request(gw.server).delete(`/api/users/tokens/delete/${revoked.slice(0, 12)}`).set(bearer(t.admin)).expect(200);
    for (const email of ['p1@millrace.test', 'p2@millrace.test', 'p3@millrace.test']) {
      await request(gw.server).post('/api/users/create').set(bearer(t.superadmin)).send({ email, password: 'person-password' }).expect(201);
    }
  });

  afterAll(async () => {
    await db.end();
    await gw.close();
  });

  const members = async (ws: string) => (await db.query(`SELECT u.email, m.role FROM workspace_member m JOIN app_user u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY u.email`, [ws])).rows;

  describe('POST /api/workspaces/create', () => {
    it('creates a workspace whose creator is its admin', async () => {
      const res = await request(gw.server).post('/api/workspaces/create').set(bearer(t.operator)).send({ id: 'ops-team', name: 'Ops team' }).expect(201);
      expect(res.text).toBe('ops-team');
      const me = await request(gw.server).get('/api/users/whoami').set(bearer(t.operator)).expect(200);
      expect(me.body.workspaces).toEqual([{ id: 'acme', role: 'operator' }, { id: 'ops-team', role: 'admin' }]);
    });

    it('answers 409 to a taken id and changes nothing', async () => {
      const before = await members('acme');
      const res = await request(gw.server).post('/api/workspaces/create').set(bearer(t.outsider)).send({ id: 'acme', name: 'Hijack' }).expect(409);
      expect(res.body.error.message).toBe('workspace acme already exists');
      expect(await members('acme')).toEqual(before);
      const ws = await db.query(`SELECT name FROM workspace WHERE id = 'acme'`);
      expect(ws.rows[0].name).toBe('Workspace acme');
    });

    it.each([
      ['an id with capitals', { id: 'Acme', name: 'x' }, /id must be 2-50 characters/],
      ['a one-letter id', { id: 'a', name: 'x' }, /id must be 2-50 characters/],
      ['an id with a slash', { id: 'a/b', name: 'x' }, /id must be 2-50 characters/],
      ['no name', { id: 'noname' }, /name/],
      ['an unknown field', { id: 'extra', name: 'x', owner: 'me' }, /property owner should not exist/],
    ])('answers 400 to %s and creates nothing', async (_name, body, message) => {
      const before = (await db.query(`SELECT count(*)::int AS n FROM workspace`)).rows[0].n;
      const res = await request(gw.server).post('/api/workspaces/create').set(bearer(t.developer)).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect((await db.query(`SELECT count(*)::int AS n FROM workspace`)).rows[0].n).toBe(before);
    });

    it('answers 401 without a token or with a revoked one', async () => {
      await request(gw.server).post('/api/workspaces/create').send({ id: 'anon', name: 'x' }).expect(401);
      await request(gw.server).post('/api/workspaces/create').set(bearer(revoked)).send({ id: 'anon', name: 'x' }).expect(401);
    });
  });

  describe('POST /api/w/{ws}/users/add (workspace admin)', () => {
    it.each([
      ['superadmin (not a member)', 'superadmin', 'p1@millrace.test', 'operator'],
      ['admin', 'admin', 'p2@millrace.test', 'developer'],
    ] as const)('lets the %s add a member', async (_name, who, email, role) => {
      const res = await request(gw.server).post('/api/w/acme/users/add').set(bearer(t[who])).send({ email, role }).expect(201);
      expect(res.text).toBe(email);
      expect(await members('acme')).toContainEqual({ email, role });
    });

    it('gives the added member that role', async () => {
      const p2 = await login(gw.server, 'p2@millrace.test', 'person-password');
      const me = await request(gw.server).get('/api/users/whoami').set(bearer(p2)).expect(200);
      expect(me.body.workspaces).toEqual([{ id: 'acme', role: 'developer' }]);
    });

    it.each([
      ['developer', 'developer', 403, /role developer in workspace acme may not do this \(needs admin or above\)/],
      ['operator', 'operator', 403, /role operator in workspace acme may not do this/],
      ['non-member', 'outsider', 404, /workspace "acme" not found/],
    ] as const)('refuses a %s with %i and changes nothing', async (_name, who, status, message) => {
      const before = await members('acme');
      const res = await request(gw.server).post('/api/w/acme/users/add').set(bearer(t[who])).send({ email: 'p3@millrace.test', role: 'admin' }).expect(status);
      expect(res.body.error.message).toMatch(message);
      expect(await members('acme')).toEqual(before);
    });

    it('answers 401 without a token or with a revoked one', async () => {
      await request(gw.server).post('/api/w/acme/users/add').send({ email: 'p3@millrace.test', role: 'admin' }).expect(401);
      await request(gw.server).post('/api/w/acme/users/add').set(bearer(revoked)).send({ email: 'p3@millrace.test', role: 'admin' }).expect(401);
    });

    it('answers 404 for a workspace that does not exist, even to a superadmin', async () => {
      await request(gw.server).post('/api/w/nowhere/users/add').set(bearer(t.superadmin)).send({ email: 'p3@millrace.test', role: 'admin' }).expect(404);
      await request(gw.server).post('/api/w/NOT_AN_ID/users/add').set(bearer(t.superadmin)).send({ email: 'p3@millrace.test', role: 'admin' }).expect(404);
    });

    it('answers 404 to an unknown email and 409 to an existing member', async () => {
      const unknown = await request(gw.server).post('/api/w/acme/users/add').set(bearer(t.admin)).send({ email: 'ghost@millrace.test', role: 'operator' }).expect(404);
      expect(unknown.body.error.message).toBe('no user with email ghost@millrace.test');
      const again = await request(gw.server).post('/api/w/acme/users/add').set(bearer(t.admin)).send({ email: 'operator.acme@millrace.test', role: 'admin' }).expect(409);
      expect(again.body.error.message).toMatch(/already a member of acme/);
      expect(await members('acme')).toContainEqual({ email: 'operator.acme@millrace.test', role: 'operator' });
    });

    it.each([
      ['an unknown role', { email: 'p3@millrace.test', role: 'owner' }, /role must be one of: admin, developer, operator/],
      ['no email', { role: 'admin' }, /email/],
      ['an unknown field', { email: 'p3@millrace.test', role: 'admin', super_admin: true }, /property super_admin should not exist/],
    ])('answers 400 to %s', async (_name, body, message) => {
      const res = await request(gw.server).post('/api/w/acme/users/add').set(bearer(t.admin)).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect(await members('acme')).not.toContainEqual(expect.objectContaining({ email: 'p3@millrace.test' }));
    });
  });
});
