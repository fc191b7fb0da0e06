import { testDatabaseUrl } from '@millrace/testing';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, login, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';
import { TestClock } from '../testing/test-clock';

describe('users and API tokens', () => {
  let gw: TestGateway;
  let db: Client;
  let t: RoleTokens;
  const clock = new TestClock();

  beforeAll(async () => {
    gw = await bootGateway({}, { clock });
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    t = await setUpWorkspace(gw.server, 'acme');
  });

  afterAll(async () => {
    await db.end();
    await gw.close();
  });

  const count = async (table: 'app_user' | 'user_token') => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  describe('GET /api/users/whoami', () => {
    it('lists the caller\'s workspaces and roles', async () => {
      const res = await request(gw.server).get('/api/users/whoami').set(bearer(t.developer)).expect(200);
      expect(res.body).toEqual({ email: 'developer.acme@millrace.test', super_admin: false, workspaces: [{ id: 'acme', role: 'developer' }] });
    });

    it('answers 401 without a token', async () => {
      await request(gw.server).get('/api/users/whoami').expect(401);
    });
  });

  describe('POST /api/users/create', () => {
    it('lets a superadmin create a user, who can then log in', async () => {
      const res = await request(gw.server).post('/api/users/create').set(bearer(t.superadmin)).send({ email: 'New.User@Millrace.test', password: 'new-user-pw' }).expect(201);
      expect(res.text).toBe('new.user@millrace.test');
      await login(gw.server, 'new.user@millrace.test', 'new-user-pw');
    });

    it('creates superadmins who can create users too', async () => {
      await request(gw.server).post('/api/users/create').set(bearer(t.superadmin)).send({ email: 'second.root@millrace.test', password: 'second-root-pw', super_admin: true }).expect(201);
      const root2 = await login(gw.server, 'second.root@millrace.test', 'second-root-pw');
      await request(gw.server).post('/api/users/create').set(bearer(root2)).send({ email: 'by.root2@millrace.test', password: 'by-root2-pw' }).expect(201);
    });

    it.each(['admin', 'developer', 'operator', 'outsider'] as const)('refuses a non-superadmin (%s) with 403 and creates nothing', async (who) => {
      const before = await count('app_user');
      const res = await request(gw.server).post('/api/users/create').set(bearer(t[who])).send({ email: `x-${who}@millrace.test`, password: 'whatever-pw' }).expect(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: 'only a superadmin may do this' });
      expect(await count('app_user')).toBe(before);
    });

    it('answers 401 without a token', async () => {
      await request(gw.server).post('/api/users/create').send({ email: 'x@millrace.test', password: 'whatever-pw' }).expect(401);
    });

    it('answers 409 to a taken email, whatever its case', async () => {
      const res = await request(gw.server).post('/api/users/create').set(bearer(t.superadmin)).send({ email: 'ADMIN.acme@millrace.test', password: 'whatever-pw' }).expect(409);
      expect(res.body.error.message).toMatch(/admin\.acme@millrace\.test already exists/);
    });

    it.each([
      ['a malformed email', { email: 'nope', password: 'whatever-pw' }, /email must be an email/],
      ['a short password', { email: 'short@millrace.test', password: 'short' }, /password must be longer than or equal to 8 characters/],
      ['a non-boolean super_admin', { email: 'sa@millrace.test', password: 'whatever-pw', super_admin: 'yes' }, /super_admin must be a boolean/],
      ['an unknown field', { email: 'f@millrace.test', password: 'whatever-pw', role: 'admin' }, /property role should not exist/],
    ])('answers 400 to %s and creates nothing', async (_name, body, message) => {
      const before = await count('app_user');
      const res = await request(gw.server).post('/api/users/create').set(bearer(t.superadmin)).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect(await count('app_user')).toBe(before);
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, listed only by prefix, that authenticates', async () => {
      const res = await request(gw.server).post('/api/users/tokens/create').set(bearer(t.operator)).send({ label: 'ci' }).expect(201);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const token = res.text;
      expect(token).toMatch(/^mr_[A-Za-z0-9_-]{32}$/);
      const me = await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(200);
      expect(me.body.email).toBe('operator.acme@millrace.test');
      const list = await request(gw.server).get('/api/users/tokens/list').set(bearer(token)).expect(200);
      const mine = (list.body as Array<{ token_prefix: string; label: string | null; kind: string; expiration: string | null }>).find((x) => x.label === 'ci');
      expect(mine).toEqual({ token_prefix: token.slice(0, 12), kind: 'api', label: 'ci', created_at: expect.any(String), expiration: null });
      expect(JSON.stringify(list.body)).not.toContain(token);
    });

    it('revokes a token by prefix: the token then gets 401', async () => {
      const token = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.developer)).send({ label: 'to revoke' }).expect(201)).text;
      await request(gw.server).get('/api/w/acme/scripts/list').set(bearer(token)).expect(200);
      const res = await request(gw.server).delete(`/api/users/tokens/delete/${token.slice(0, 12)}`).set(bearer(t.developer)).expect(200);
      expect(res.text).toBe(`revoked token ${token.slice(0, 12)}`);
      const refused = await request(gw.server).get('/api/w/acme/scripts/list').set(bearer(token)).expect(401);
      expect(refused.body.error.message).toMatch(/invalid, expired or revoked/);
      const list = await request(gw.server).get('/api/users/tokens/list').set(bearer(t.developer)).expect(200);
      expect((list.body as Array<{ label: string }>).map((x) => x.label)).not.toContain('to revoke');
    });

    it('does not let one user revoke another\'s token (404, token still works)', async () => {
      const token = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.operator)).send({ label: 'mine' }).expect(201)).text;
      await request(gw.server).delete(`/api/users/tokens/delete/${token.slice(0, 12)}`).set(bearer(t.admin)).expect(404);
      await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(200);
    });

    it('answers 404 to an unknown prefix', async () => {
      const res = await request(gw.server).delete('/api/users/tokens/delete/mr_nothere').set(bearer(t.operator)).expect(404);
      expect(res.body.error.message).toMatch(/no live token with prefix "mr_nothere"/);
    });

    it('honours an expiration', async () => {
      const expiration = new Date(clock.now().getTime() + 3600_000).toISOString();
      const token = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.operator)).send({ label: 'short-lived', expiration }).expect(201)).text;
      await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(200);
      clock.advance(3601);
      await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(401);
    });

    it.each([
      ['no label', {}, /label/],
      ['an empty label', { label: '' }, /label must be longer than or equal to 1 characters/],
      ['a malformed expiration', { label: 'x', expiration: 'tomorrow' }, /expiration must be a valid ISO 8601 date string/],
      ['a past expiration', { label: 'x', expiration: '2001-01-01T00:00:00Z' }, /expiration must be in the future/],
      ['an unknown field', { label: 'x', scopes: ['all'] }, /property scopes should not exist/],
    ])('answers 400 to %s and stores nothing', async (_name, body, message) => {
      const before = await count('user_token');
      const res = await request(gw.server).post('/api/users/tokens/create').set(bearer(t.operator)).send(body).expect(400);
      expect(res.body.error.message).toMatch(message);
      expect(await count('user_token')).toBe(before);
    });

    it('answers 401 to token routes without a token', async () => {
      await request(gw.server).post('/api/users/tokens/create').send({ label: 'x' }).expect(401);
      await request(gw.server).get('/api/users/tokens/list').expect(401);
      await request(gw.server).delete('/api/users/tokens/delete/mr_x').expect(401);
    });
  });
});
