import { AGENT_AUDIENCE } from '@millrace/contracts';
import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { KeyStore } from '../keys/key-store';
import { bearer, bootGateway, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';

const MINT = '/api/agent_workers/create_agent_token';
const LIST = '/api/agent_workers/list_tokens';
const REVOKE = '/api/agent_workers/blacklist_token';

describe('agent tokens: minted by a superadmin, listed by jti, revoked', () => {
  let gw: TestGateway;
  let roles: RoleTokens;
  const http = () => request(gw.server);
  const decode = (token: string) =>
    new JwtService().verify<{ worker_group: string; tags: string[]; jti: string; iat: number; exp: number; aud: string }>(token.replace(/^jwt_agent_/, ''), {
      publicKey: gw.app.get(KeyStore).publicKeyPem,
      algorithms: ['ES256'],
      audience: AGENT_AUDIENCE,
    });
  const listed = async () => (await http().get(LIST).set(bearer(roles.superadmin)).expect(200)).body as Array<{ jti: string; worker_group: string; tags: string[]; revoked_at: string | null }>;

  beforeAll(async () => {
    gw = await bootGateway();
    roles = await setUpWorkspace(gw.server, 'tokens-ws');
  });
  afterAll(() => gw.close());

  it('mints an ES256 token whose claims fix the group and tags, valid 3 years by default', async () => {
    const res = await http().post(MINT).set(bearer(roles.superadmin)).send({ worker_group: 'edge', tags: ['edge-eu', 'gpu', 'gpu'] }).expect(201);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^jwt_agent_[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decode(res.text);
    expect(claims).toMatchObject({ worker_group: 'edge', tags: ['edge-eu', 'gpu'], aud: 'agent' });
    expect(claims.exp - claims.iat).toBe(3 * 365 * 86_400);
    const row = (await listed()).find((t) => t.jti === claims.jti);
    expect(row).toMatchObject({ worker_group: 'edge', tags: ['edge-eu', 'gpu'], revoked_at: null });
    expect(JSON.stringify(await listed())).not.toContain(res.text.split('.')[2]);
  });

  it('honours an explicit exp', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const res = await http().post(MINT).set(bearer(roles.superadmin)).send({ worker_group: 'edge', tags: ['a'], exp }).expect(201);
    expect(decode(res.text).exp).toBe(exp);
  });

  it.each([
    ['flow', { worker_group: 'edge', tags: ['flow'] }, /reserved for normal workers/],
    ['dependency', { worker_group: 'edge', tags: ['a', 'dependency'] }, /reserved/],
    ['flow-<ws>', { worker_group: 'edge', tags: ['flow-acme'] }, /reserved/],
    ['dependency-<ws>', { worker_group: 'edge', tags: ['dependency-acme'] }, /reserved/],
    ['a malformed tag', { worker_group: 'edge', tags: ['has space'] }, /not valid/],
    ['no tags', { worker_group: 'edge', tags: [] }, /tags/],
    ['a bad worker group', { worker_group: 'Edge Group', tags: ['a'] }, /worker_group/],
    ['an exp in the past', { worker_group: 'edge', tags: ['a'], exp: 1000 }, /exp must be in the future/],
    ['an unknown field', { worker_group: 'edge', tags: ['a'], admin: true }, /admin/],
  ])('refuses to mint with %s (400), recording nothing', async (_n, body, message) => {
    const before = (await listed()).length;
    const res = await http().post(MINT).set(bearer(roles.superadmin)).send(body).expect(400);
    expect(res.body.error.message).toMatch(message);
    expect((await listed()).length).toBe(before);
  });

  it.each(['admin', 'developer', 'operator', 'outsider'] as const)('refuses a workspace %s (403) on every route', async (who) => {
    await http().post(MINT).set(bearer(roles[who])).send({ worker_group: 'edge', tags: ['a'] }).expect(403);
    await http().get(LIST).set(bearer(roles[who])).expect(403);
    await http().post(REVOKE).set(bearer(roles[who])).send({ jti: '00000000-0000-4000-8000-000000000000' }).expect(403);
  });

  it('refuses callers without credentials (401)', async () => {
    await http().post(MINT).send({ worker_group: 'edge', tags: ['a'] }).expect(401);
    await http().get(LIST).expect(401);
    await http().post(REVOKE).send({ jti: '00000000-0000-4000-8000-000000000000' }).expect(401);
  });

  it('revokes by jti and by token text, idempotently', async () => {
    const a = (await http().post(MINT).set(bearer(roles.superadmin)).send({ worker_group: 'edge', tags: ['a'] }).expect(201)).text;
    const b = (await http().post(MINT).set(bearer(roles.superadmin)).send({ worker_group: 'edge', tags: ['b'] }).expect(201)).text;
    const jtiA = decode(a).jti;
    await http().post(REVOKE).set(bearer(roles.superadmin)).send({ jti: jtiA }).expect(200, { jti: jtiA, revoked: true });
    await http().post(REVOKE).set(bearer(roles.superadmin)).send({ token: b }).expect(200, { jti: decode(b).jti, revoked: true });
    const first = (await listed()).find((t) => t.jti === jtiA)!.revoked_at;
    expect(first).not.toBeNull();
    await http().post(REVOKE).set(bearer(roles.superadmin)).send({ jti: jtiA }).expect(200);
    expect((await listed()).find((t) => t.jti === jtiA)!.revoked_at).toBe(first);
  });

  it.each([
    ['neither token nor jti', {}, 400, /exactly one/],
    ['both', { jti: '00000000-0000-4000-8000-000000000000', token: 'jwt_agent_x' }, 400, /exactly one/],
    ['a malformed jti', { jti: 'abc' }, 400, /jti must be a token id/],
    ['an unknown jti', { jti: '00000000-0000-4000-8000-000000000000' }, 404, /no agent token/],
    ['text without the prefix', { token: 'eyJ.x.y' }, 400, /must start with jwt_agent_/],
  ])('refuses to revoke with %s', async (_n, body, status, message) => {
    const res = await http().post(REVOKE).set(bearer(roles.superadmin)).send(body).expect(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses to revoke by the text of a token another key signed', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = new JwtService().sign({ worker_group: 'edge', tags: ['a'], jti: '00000000-0000-4000-8000-000000000001' }, { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ES256', audience: 'agent' });
    const res = await http().post(REVOKE).set(bearer(roles.superadmin)).send({ token: `jwt_agent_${forged}` }).expect(400);
    expect(res.body.error.message).toMatch(/not an agent token signed by this gateway/);
  });
});
