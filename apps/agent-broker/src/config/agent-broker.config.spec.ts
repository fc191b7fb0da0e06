import { ConfigValidationError, loadConfig } from '@millrace/server-kit';
import { newKeyPair } from '../testing/agent-broker.fixture';
import { AgentBrokerConfig } from './agent-broker.config';

const DATABASE_URL = 'postgres://u:s3cr3t-pw@127.0.0.1:1/db';
const JWT_PUBLIC_KEY = newKeyPair().publicPem;
const JOB_TOKEN_SECRET = 'a-job-token-secret-of-enough-length-0123';
const base = { DATABASE_URL, JWT_PUBLIC_KEY, JOB_TOKEN_SECRET };

function problemWith(env: Record<string, string | undefined>): ConfigValidationError {
  try {
    loadConfig(AgentBrokerConfig, env);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('agent-broker configuration', () => {
  it('applies defaults', () => {
    expect(loadConfig(AgentBrokerConfig, base)).toMatchObject({
      PORT: 8002,
      DB_POOL_MAX: 8,
      REVOCATION_REFRESH_MS: 1000,
      REVOCATION_MAX_STALE_S: 5,
      DISPATCH_POLL_MS: 1000,
      PING_FLUSH_MS: 1000,
      PING_BATCH_MAX: 1000,
      LOG_CHUNK_MAX_BYTES: 1_048_576,
      JOB_TOKEN_DEFAULT_TTL_S: 86_400,
    });
  });

  it('accepts a PEM key given with escaped newlines', () => {
    const c = loadConfig(AgentBrokerConfig, { ...base, JWT_PUBLIC_KEY: JWT_PUBLIC_KEY.replace(/\n/g, '\\n') });
    expect(c.JWT_PUBLIC_KEY).toBe(JWT_PUBLIC_KEY);
  });

  it.each([
    ['a missing JOB_TOKEN_SECRET', { JOB_TOKEN_SECRET: undefined }, 'JOB_TOKEN_SECRET', /unset/],
    ['a missing JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: undefined }, 'JWT_PUBLIC_KEY', /unset/],
    ['a public key that is not PEM', { JWT_PUBLIC_KEY: 'abc' }, 'JWT_PUBLIC_KEY', /PEM/],
    ['a revocation refresh over 2 s (revocation must apply within 5 s)', { REVOCATION_REFRESH_MS: '5000' }, 'REVOCATION_REFRESH_MS', /5000/],
    ['a ping batch of 0', { PING_BATCH_MAX: '0' }, 'PING_BATCH_MAX', /0/],
  ])('refuses %s, naming the variable', (_name, patch, variable, shown) => {
    const err = problemWith({ ...base, ...patch });
    expect(err.problems.map((p) => p.variable)).toEqual([variable]);
    expect(err.message).toMatch(shown);
  });

  it('refuses a short JOB_TOKEN_SECRET without printing it', () => {
    const err = problemWith({ ...base, JOB_TOKEN_SECRET: 'short-but-secret' });
    expect(err.problems.map((p) => p.variable)).toEqual(['JOB_TOKEN_SECRET']);
    expect(err.message).toMatch(/at least 32 characters/);
    expect(err.message).not.toContain('short-but-secret');
  });
});
