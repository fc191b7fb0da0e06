import { INestApplication } from '@nestjs/common';
import { JwtService, JwtSignOptions } from '@nestjs/jwt';
import { AGENT_AUDIENCE, AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { PG_POOL } from '@millrace/data-access';
import { JobKind, NewJob, PgJobQueue } from '@millrace/queue';
import { loadConfig } from '@millrace/server-kit';
import { bootTestApp, eventually, KeyPair, newKeyPair, testDatabaseUrl } from '@millrace/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule } from '../app.module';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { mountAgentFastPath } from '../http/agent-fast-path';
import { WaiterRegistry } from '../pull/waiter-registry';

export { newKeyPair, type KeyPair };


const jwt = new JwtService();

export interface AgentClaimsInput {
  worker_group?: string;
  tags?: string[];
  jti?: string;
  [claim: string]: unknown;
}

/** Mints an agent token the way api-gateway does: ES256, audience `agent`, `jwt_agent_` prefix. */
export function agentToken(keys: KeyPair, claims: AgentClaimsInput = {}, options: JwtSignOptions = {}): string {
  const payload = { worker_group: 'edge', tags: ['a'], jti: randomUUID(), ...claims };
  const opts: JwtSignOptions = { privateKey: keys.privatePem, algorithm: 'ES256', audience: AGENT_AUDIENCE, expiresIn: 3600, ...options };
  // jsonwebtoken refuses an explicit `expiresIn: undefined`; it means "exp comes from the claims".
  if (opts.expiresIn === undefined) delete opts.expiresIn;
  return AGENT_TOKEN_PREFIX + jwt.sign(payload, opts);
}

export const JOB_TOKEN_SECRET = randomBytes(32).toString('hex');

export interface BrokerHarness {
  app: INestApplication;
  keys: KeyPair;
  config: AgentBrokerConfig;
  queue: PgJobQueue;
  pool: Pool;
  http: ReturnType<typeof request>;
}

/** Env of a broker on this test file's database (for loadConfig or a spawned process). */
export function brokerEnv(keys: KeyPair, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: testDatabaseUrl(),
    JWT_PUBLIC_KEY: keys.publicPem,
    JOB_TOKEN_SECRET,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '4',
    ...env,
  };
}

/** Boots the real agent-broker on this test file's database with a fresh key pair. */
export async function bootBroker(env: Record<string, string> = {}): Promise<BrokerHarness> {
  const keys = newKeyPair();
  const config = loadConfig(AgentBrokerConfig, brokerEnv(keys, env));
  const app = await bootTestApp(AppModule.forRoot(config), mountAgentFastPath);
  return { app, keys, config, queue: app.get(PgJobQueue), pool: app.get<Pool>(PG_POOL), http: request(app.getHttpServer()) };
}

/** A job as job-queue would push it (tag already resolved). */
export function newJob(tag: string, patch: Partial<NewJob> = {}): NewJob {
  const kind: JobKind = patch.kind ?? 'script';
  return { workspaceId: 'acme', kind, language: 'bash', content: 'echo hi', args: {}, tag, createdBy: 'alice@example.com', ...patch };
}

/** Headers of an agent call. */
export function agentHeaders(token: string, suffix = 'host1'): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-Worker-Suffix': suffix };
}

export { eventually } from '@millrace/testing';

/** A broker for long-poll tests, with its waiter registry and a wait for n waiting polls. */
export interface LongPollHarness extends BrokerHarness {
  registry: WaiterRegistry;
  waitingCount(n: number): Promise<unknown>;
}

/**
 * A broker whose dispatcher never falls back to polling within a test's time: a job reaches
 * a long poll only through NOTIFY or a new waiter's claim.
 */
export async function bootLongPollBroker(): Promise<LongPollHarness> {
  const h = await bootBroker({ DISPATCH_POLL_MS: '60000' });
  const registry = h.app.get(WaiterRegistry);
  return { ...h, registry, waitingCount: (n) => eventually(() => (registry.waiting >= n ? true : undefined)) };
}
