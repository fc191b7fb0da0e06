import { INestApplication } from '@nestjs/common';
import { SERVICE_AUDIENCE } from '@millrace/contracts';
import { loadConfig } from '@millrace/server-kit';
import { bootTestApp, KeyPair, newKeyPair, testDatabaseUrl } from '@millrace/testing';
import { JwtService, JwtSignOptions } from '@nestjs/jwt';
import { AppModule } from '../app.module';
import { JobQueueConfig } from '../config/job-queue.config';

export { newKeyPair, type KeyPair };


const jwt = new JwtService();

/** Signs a service token the way api-gateway does (ES256, audience millrace-internal, 60 s). */
export function serviceToken(keys: KeyPair, claims: Record<string, unknown> = {}, options: JwtSignOptions = {}): string {
  const lifetime = 'exp' in claims ? {} : { expiresIn: 60 };
  return jwt.sign({ sub: 'alice@example.com', ...claims }, { privateKey: keys.privatePem, algorithm: 'ES256', audience: SERVICE_AUDIENCE, ...lifetime, ...options });
}

export interface JobQueueHarness {
  app: INestApplication;
  keys: KeyPair;
  token: string;
  config: JobQueueConfig;
}

/** Boots the real job-queue on this test file's database with a fresh key pair. */
export async function bootJobQueue(env: Record<string, string> = {}): Promise<JobQueueHarness> {
  const keys = newKeyPair();
  const config = loadConfig(JobQueueConfig, {
    DATABASE_URL: testDatabaseUrl(),
    JWT_PUBLIC_KEY: keys.publicPem,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '4',
    MONITOR_INTERVAL_S: '3600',
    ...env,
  });
  const app = await bootTestApp(AppModule.forRoot(config));
  return { app, keys, token: serviceToken(keys), config };
}
