import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@millrace/server-kit';
import { bootTestApp, testDatabaseUrl } from '@millrace/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import request from 'supertest';
import { AppModule, AppOverrides } from '../app.module';
import { GatewayConfig } from '../config/api-gateway.config';
import { gatewayHttpSetup } from '../gateway-http.setup';

export const SUPERADMIN = { email: 'root@millrace.test', password: 'superadmin-test-pw' };

export interface TestGateway {
  app: INestApplication;
  server: Server;
  config: GatewayConfig;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real gateway on this test file's own PostgreSQL database, listening on a free port,
 * with its key pair in a temporary MILLRACE_DATA_DIR.
 */
export async function bootGateway(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'millrace-gw-'));
  const config = loadConfig(GatewayConfig, {
    DATABASE_URL: testDatabaseUrl(),
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '4',
    SUPERADMIN_EMAIL: SUPERADMIN.email,
    SUPERADMIN_PASSWORD: SUPERADMIN.password,
    MILLRACE_DATA_DIR: dataDir,
    // Nothing listens here unless a test starts a fake job-queue and passes its URL.
    JOB_QUEUE_URL: 'http://127.0.0.1:9',
    AGENT_BROKER_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const app = await bootTestApp(AppModule.forRoot(config, overrides), gatewayHttpSetup(config));
  return {
    app,
    server: app.getHttpServer() as Server,
    config,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(server: Server, email: string, password: string): Promise<string> {
  const res = await request(server).post('/api/auth/login').send({ email, password }).expect(200);
  return (res.body as { token: string }).token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface RoleTokens {
  superadmin: string;
  admin: string;
  developer: string;
  operator: string;
  /** A user who is not a member of the workspace. */
  outsider: string;
}

/**
 * Creates workspace `ws` with one user per role (plus an outsider), all through the API,
 * and returns a session token for each.
 */
export async function setUpWorkspace(server: Server, ws: string): Promise<RoleTokens> {
  const superadmin = await login(server, SUPERADMIN.email, SUPERADMIN.password);
  const people = ['admin', 'developer', 'operator', 'outsider'] as const;
  const email = (who: string) => `${who}.${ws}@millrace.test`;
  for (const who of people) {
    await request(server).post('/api/users/create').set(bearer(superadmin)).send({ email: email(who), password: `${who}-password` }).expect(201);
  }
  const admin = await login(server, email('admin'), 'admin-password');
  await request(server).post('/api/workspaces/create').set(bearer(admin)).send({ id: ws, name: `Workspace ${ws}` }).expect(201);
  for (const role of ['developer', 'operator'] as const) {
    await request(server).post(`/api/w/${ws}/users/add`).set(bearer(admin)).send({ email: email(role), role }).expect(201);
  }
  return {
    superadmin,
    admin,
    developer: await login(server, email('developer'), 'developer-password'),
    operator: await login(server, email('operator'), 'operator-password'),
    outsider: await login(server, email('outsider'), 'outsider-password'),
  };
}
