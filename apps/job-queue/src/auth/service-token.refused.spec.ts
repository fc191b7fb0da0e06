import { createHmac } from 'node:crypto';
import request from 'supertest';
import { bootJobQueue, JobQueueHarness, newKeyPair, serviceToken } from '../testing/job-queue.fixture';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('job-queue refuses every token but a valid service token', () => {
  let h: JobQueueHarness;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: 'mallory@example.com', aud: 'millrace-internal', iat: now(), exp: now() + 60 });
  const list = (token?: string) => {
    const r = request(h.app.getHttpServer()).get('/internal/v1/w/acme/jobs');
    return token === undefined ? r : r.set('Authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    h = await bootJobQueue();
  });
  afterAll(() => h.app.close());

  it('accepts a token signed by the gateway key', async () => {
    await list(h.token).expect(200);
  });

  it.each([
    ['no token', () => undefined],
    ['garbage', () => 'not-a-jwt'],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS256 signed with the public key as secret',
      () => {
        const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}`;
        return `${head}.${createHmac('sha256', h.keys.publicPem).update(head).digest('base64url')}`;
      },
    ],
    ['another key', () => serviceToken(newKeyPair())],
    ['an expired token', () => serviceToken(h.keys, { iat: now() - 120, exp: now() - 60 })],
    ['an agent audience', () => serviceToken(h.keys, {}, { audience: 'agent' })],
    ['a lifetime over five minutes', () => serviceToken(h.keys, {}, { expiresIn: 3600 })],
    ['claims altered after signing', () => {
      const [head, , sig] = h.token.split('.');
      return `${head}.${b64({ ...claims(), sub: 'root' })}.${sig}`;
    }],
    ['a token for another workspace', () => serviceToken(h.keys, { ws: 'other' })],
  ])('refuses %s with 401', async (_name, token) => {
    const res = await list(token()).expect(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('accepts a token scoped to the route workspace', async () => {
    await list(serviceToken(h.keys, { ws: 'acme' })).expect(200);
  });
});
