import { ConfigValidationError, loadConfig } from '@millrace/server-kit';
import { spawnBuiltApp, waitForExit } from '@millrace/testing';
import { newKeyPair } from '../testing/job-queue.fixture';
import { JobQueueConfig } from './job-queue.config';

const url = 'postgres://u:s3cr3t-pw@127.0.0.1:1/db';
const JWT_PUBLIC_KEY = newKeyPair().publicPem;

function problemWith(env: Record<string, string>): ConfigValidationError {
  try {
    loadConfig(JobQueueConfig, { JWT_PUBLIC_KEY, ...env });
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('job-queue configuration', () => {
  it('applies defaults', () => {
    const c = loadConfig(JobQueueConfig, { DATABASE_URL: url, JWT_PUBLIC_KEY });
    expect(c).toMatchObject({ PORT: 8001, DB_POOL_MAX: 10, DB_SKIP_MIGRATIONS: false, LOG_LEVEL: 'info', ZOMBIE_JOB_TIMEOUT_S: 30, RESTART_LIMIT: 3, RETENTION_DAYS: 30 });
  });

  it('parses numbers and booleans', () => {
    const c = loadConfig(JobQueueConfig, { JWT_PUBLIC_KEY, DATABASE_URL: url, PORT: '9001', DB_SKIP_MIGRATIONS: 'true', DB_POOL_MAX: '4' });
    expect(c).toMatchObject({ PORT: 9001, DB_SKIP_MIGRATIONS: true, DB_POOL_MAX: 4 });
  });

  it.each([
    ['a missing DATABASE_URL', {}, 'DATABASE_URL', /unset/],
    ['a port that is not a number', { DATABASE_URL: url, PORT: 'eighty' }, 'PORT', /"eighty"/],
    ['a port out of range', { DATABASE_URL: url, PORT: '70000' }, 'PORT', /70000/],
    ['a pool too small', { DATABASE_URL: url, DB_POOL_MAX: '1' }, 'DB_POOL_MAX', /"1"|1/],
    ['a bad boolean', { DATABASE_URL: url, DB_SKIP_MIGRATIONS: 'maybe' }, 'DB_SKIP_MIGRATIONS', /maybe/],
    ['an unknown log level', { DATABASE_URL: url, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /loud/],
    ['a public key that is not PEM', { DATABASE_URL: url, JWT_PUBLIC_KEY: 'abc' }, 'JWT_PUBLIC_KEY', /PEM/],
    ['a zombie timeout too short', { DATABASE_URL: url, ZOMBIE_JOB_TIMEOUT_S: '1' }, 'ZOMBIE_JOB_TIMEOUT_S', /1/],
  ])('refuses %s, naming the variable', (_name, env, variable, shown) => {
    const err = problemWith(env as Record<string, string>);
    expect(err.problems.map((p) => p.variable)).toEqual([variable]);
    expect(err.message).toContain(variable);
    expect(err.message).toMatch(shown);
  });

  it('accepts a PEM key given with escaped newlines', () => {
    const c = loadConfig(JobQueueConfig, { DATABASE_URL: url, JWT_PUBLIC_KEY: JWT_PUBLIC_KEY.replace(/\n/g, '\\n') });
    expect(c.JWT_PUBLIC_KEY).toBe(JWT_PUBLIC_KEY);
  });

  it('never prints a secret value', () => {
    const err = problemWith({ DATABASE_URL: 'mysql://u:s3cr3t-pw@h/db' });
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).not.toContain('s3cr3t-pw');
  });

  it('stops the real process at boot with a message naming the variable', async () => {
    const result = await waitForExit(spawnBuiltApp('job-queue', { DATABASE_URL: url, JWT_PUBLIC_KEY, PORT: 'not-a-port' }));
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}') as { msg?: string; level?: number };
    expect(line.level).toBe(60);
    expect(line.msg).toMatch(/^Invalid configuration: PORT: /);
    expect(result.stderr).not.toContain('s3cr3t-pw');
  });
});
