import { Logger } from '@nestjs/common';
import { loadConfig } from '@millrace/server-kit';
import { testDatabaseUrl } from '@millrace/testing';
import { Pool } from 'pg';
import request from 'supertest';
import { GatewayConfig } from '../config/api-gateway.config';
import { bootGateway, login, SUPERADMIN, TestGateway } from '../testing/gateway.harness';
import { PasswordHasher } from './password-hasher';
import { SuperadminBootstrap } from './superadmin-bootstrap.service';

describe('superadmin bootstrap on an empty database', () => {
  let pool: Pool;

  beforeAll(() => {
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  });

  afterAll(async () => {
    await pool.end();
  });

  async function counts(): Promise<{ users: number; admins: number; members: number }> {
    const { rows } = await pool.query(`SELECT (SELECT count(*)::int FROM app_user) AS users,
      (SELECT count(*)::int FROM workspace WHERE id = 'admins') AS admins,
      (SELECT count(*)::int FROM workspace_member WHERE workspace_id = 'admins' AND role = 'admin') AS members`);
    return rows[0];
  }

  // Two gateways cannot share one Jest process (prom-client's registry is global), so the
  // race between replicas is shown below with several bootstrappers on one database.
  it('creates the superadmin and the admins workspace when the gateway starts', async () => {
    expect(await counts()).toEqual({ users: 0, admins: 0, members: 0 });
    const gw: TestGateway = await bootGateway();
    try {
      expect(await counts()).toEqual({ users: 1, admins: 1, members: 1 });
      const token = await login(gw.server, SUPERADMIN.email, SUPERADMIN.password);
      const me = await request(gw.server).get('/api/users/whoami').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toEqual({ email: SUPERADMIN.email, super_admin: true, workspaces: [{ id: 'admins', role: 'admin' }] });
    } finally {
      await gw.close();
    }
  });

  it('does nothing once any user exists', async () => {
    const other = loadConfig(GatewayConfig, { DATABASE_URL: testDatabaseUrl(), SUPERADMIN_EMAIL: 'someone-else@millrace.test', SUPERADMIN_PASSWORD: 'another-password' });
    const outcome = await new SuperadminBootstrap(pool, new PasswordHasher(), other).ensureSuperadmin();
    expect(outcome.created).toBe(false);
    expect((await counts()).users).toBe(1);
  });

  it('creates exactly one superadmin when replicas race, with the local defaults and a warning that never shows the password', async () => {
    await pool.query(`DELETE FROM workspace`);
    await pool.query(`DELETE FROM app_user`);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const defaults = loadConfig(GatewayConfig, { DATABASE_URL: testDatabaseUrl() });
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => new SuperadminBootstrap(pool, new PasswordHasher(), defaults).ensureSuperadmin()));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(outcomes.every((o) => o.usedDefaults)).toBe(true);
    expect(await counts()).toEqual({ users: 1, admins: 1, members: 1 });
    const { rows } = await pool.query(`SELECT email, super_admin FROM app_user`);
    expect(rows).toEqual([{ email: 'admin@millrace.local', super_admin: true }]);
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    expect(warnings.filter((w) => /default SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD/.test(w))).toHaveLength(1);
    expect(warnings.join('\n')).not.toContain('changeme');
    warn.mockRestore();
  });
});
