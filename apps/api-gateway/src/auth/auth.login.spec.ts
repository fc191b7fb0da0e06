import { testDatabaseUrl } from '@millrace/testing';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, login, SUPERADMIN, TestGateway } from '../testing/gateway.harness';
import { TestClock } from '../testing/test-clock';

describe('login, sessions and the access guard', () => {
  let gw: TestGateway;
  let db: Client;
  const clock = new TestClock();

  beforeAll(async () => {
    gw = await bootGateway({}, { clock });
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await gw.close();
  });

  it('logs the superadmin in with a session token that works for API calls', async () => {
    const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    expect(token).toMatch(/^mr_[A-Za-z0-9_-]{32}$/);
    const me = await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(200);
    expect(me.body).toEqual({ email: SUPERADMIN.email, super_admin: true, workspaces: [{ id: 'admins', role: 'admin' }] });
  });

  it('treats the email case-insensitively', async () => {
    await login(gw.server, SUPERADMIN.email.toUpperCase(), SUPERADMIN.password);
  });

  it('stores only hashes: no token or password in clear in the database', async () => {
    const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    const hash = createHash('sha256').update(token).digest('hex');
    const row = await db.query(`SELECT kind, expires_at FROM user_token WHERE token_hash = $1`, [hash]);
    expect(row.rows).toEqual([{ kind: 'session', expires_at: expect.any(Date) }]);
    const leaked = await db.query(`SELECT count(*)::int AS n FROM user_token WHERE token_hash = $1 OR token_prefix = $1`, [token]);
    expect(leaked.rows[0].n).toBe(0);
    const user = await db.query(`SELECT password_hash FROM app_user WHERE email = $1`, [SUPERADMIN.email]);
    expect(user.rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(user.rows[0].password_hash).not.toContain(SUPERADMIN.password);
  });

  it.each([
    ['a wrong password', { email: SUPERADMIN.email, password: 'wrong-password' }],
    ['an unknown email', { email: 'nobody@millrace.test', password: 'whatever-pw' }],
  ])('refuses %s with the same 401', async (_name, body) => {
    const res = await request(gw.server).post('/api/auth/login').send(body).expect(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'wrong email or password' } });
  });

  it.each([
    ['no email', { password: 'x' }, /email/],
    ['a malformed email', { email: 'not-an-email', password: 'x' }, /email must be an email/],
    ['an empty password', { email: SUPERADMIN.email, password: '' }, /password/],
    ['a non-string password', { email: SUPERADMIN.email, password: 42 }, /password must be a string/],
    ['an unknown field', { email: SUPERADMIN.email, password: 'x', remember: true }, /property remember should not exist/],
  ])('answers 400 to %s, naming the field', async (_name, body, message) => {
    const res = await request(gw.server).post('/api/auth/login').send(body).expect(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await request(gw.server).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a non-bearer scheme', 'Basic cm9vdDpwdw=='],
    ['a malformed token', 'Bearer not-a-token'],
    ['a well-formed unknown token', `Bearer mr_${'A'.repeat(32)}`],
  ])('answers 401 to %s', async (_name, header) => {
    const req = request(gw.server).get('/api/users/whoami');
    if (header) void req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('keeps health and metrics open to unauthenticated probes', async () => {
    await request(gw.server).get('/health/live').expect(200);
    await request(gw.server).get('/health/ready').expect(200);
  });

  it('answers unknown /api routes with 404 in the error shape', async () => {
    const res = await request(gw.server).get('/api/no/such/route').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('revokes the session on logout', async () => {
    const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    await request(gw.server).post('/api/auth/logout').set(bearer(token)).expect(200);
    await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(401);
  });

  it('expires a session after SESSION_TTL_S (7 days by default)', async () => {
    const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    clock.advance(7 * 86_400 - 60);
    await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(200);
    clock.advance(120);
    await request(gw.server).get('/api/users/whoami').set(bearer(token)).expect(401);
  });

  it('rate-limits login attempts per IP and email with 429, even for the right password', async () => {
    const superadmin = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    for (const email of ['target@millrace.test', 'bystander@millrace.test']) {
      await request(gw.server).post('/api/users/create').set(bearer(superadmin)).send({ email, password: 'some-password' }).expect(201);
    }
    for (let i = 0; i < gw.config.LOGIN_RATE_LIMIT; i++) {
      await request(gw.server).post('/api/auth/login').send({ email: 'target@millrace.test', password: `guess-${i}` }).expect(401);
    }
    const blocked = await request(gw.server).post('/api/auth/login').send({ email: 'Target@millrace.test', password: 'some-password' }).expect(429);
    expect(blocked.body.error.code).toBe('too_many_requests');
    // Another account from the same client is not locked out.
    await login(gw.server, 'bystander@millrace.test', 'some-password');
  });
});
