import { ConfigValidationError, loadConfig } from '@millrace/server-kit';
import { spawnBuiltApp, waitForExit } from '@millrace/testing';
import { GatewayConfig } from './api-gateway.config';

const url = 'postgres://u:s3cr3t-pw@127.0.0.1:1/db';

function problemWith(env: Record<string, string>): ConfigValidationError {
  try {
    loadConfig(GatewayConfig, env);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('api-gateway configuration', () => {
  it('applies defaults', () => {
    const c = loadConfig(GatewayConfig, { DATABASE_URL: url });
    expect(c).toMatchObject({
      PORT: 8000, SUPERADMIN_EMAIL: 'admin@millrace.local', SUPERADMIN_PASSWORD: 'changeme', SESSION_TTL_S: 604_800, LOGIN_RATE_LIMIT: 10, LOGIN_RATE_WINDOW_S: 60,
      MILLRACE_DATA_DIR: '.data', JOB_QUEUE_URL: 'http://localhost:8001', PYTHON_BIN: 'python3', SCRIPT_ANALYSIS_TIMEOUT_MS: 5000,
    });
    expect(c.JWT_PRIVATE_KEY).toBeUndefined();
  });

  it('normalises the superadmin email and the job-queue URL', () => {
    const c = loadConfig(GatewayConfig, { DATABASE_URL: url, SUPERADMIN_EMAIL: ' Ops@Example.COM ', JOB_QUEUE_URL: 'http://jq:8001/' });
    expect(c.SUPERADMIN_EMAIL).toBe('ops@example.com');
    expect(c.JOB_QUEUE_URL).toBe('http://jq:8001');
  });

  it.each([
    ['a bad superadmin email', { SUPERADMIN_EMAIL: 'nope' }, 'SUPERADMIN_EMAIL'],
    ['a session lifetime under a minute', { SESSION_TTL_S: '5' }, 'SESSION_TTL_S'],
    ['a non-URL job-queue', { JOB_QUEUE_URL: 'jq:8001' }, 'JOB_QUEUE_URL'],
    ['a zero login limit', { LOGIN_RATE_LIMIT: '0' }, 'LOGIN_RATE_LIMIT'],
  ])('refuses %s, naming the variable', (_name, env, variable) => {
    const err = problemWith({ DATABASE_URL: url, ...env });
    expect(err.problems.map((p) => p.variable)).toEqual([variable]);
  });

  it('never prints the superadmin password or the private key', () => {
    const short = problemWith({ DATABASE_URL: url, SUPERADMIN_PASSWORD: 'pw-1234' });
    expect(short.message).toContain('SUPERADMIN_PASSWORD');
    expect(short.message).not.toContain('pw-1234');
    const key = problemWith({ DATABASE_URL: url, JWT_PRIVATE_KEY: 'my-secret-key-material' });
    expect(key.message).toContain('JWT_PRIVATE_KEY');
    expect(key.message).not.toContain('my-secret-key-material');
  });

  it('stops the real process at boot with a message naming the variable', async () => {
    const result = await waitForExit(spawnBuiltApp('api-gateway', { DATABASE_URL: url, SUPERADMIN_PASSWORD: 'short' }));
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stderr.trim().split('\n').pop() ?? '{}') as { msg?: string };
    expect(line.msg).toMatch(/^Invalid configuration: SUPERADMIN_PASSWORD: /);
    expect(result.stderr).not.toContain('s3cr3t-pw');
  });
});
