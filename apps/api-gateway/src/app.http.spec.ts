import { testDatabaseUrl } from '@millrace/testing';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, login, SUPERADMIN, TestGateway } from './testing/gateway.harness';

describe('gateway HTTP conventions', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await bootGateway();
  });

  afterAll(async () => {
    await gw.close();
  });

  it('refuses a body over 10 MB with 413 and writes nothing', async () => {
    const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
    const res = await request(gw.server)
      .post('/api/w/admins/scripts/create')
      .set(bearer(token))
      .send({ path: 'u/root/big', language: 'bash', content: 'x'.repeat(10 * 1024 * 1024 + 1) })
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      expect((await db.query(`SELECT count(*)::int AS n FROM script`)).rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('reports ready when its database answers', async () => {
    const res = await request(gw.server).get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
  });
});
