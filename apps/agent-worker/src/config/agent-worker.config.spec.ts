import { ConfigValidationError, loadConfig } from '@millrace/server-kit';
import { AgentWorkerConfig } from './agent-worker.config';

const token = 'jwt_agent_eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const base = { AGENT_TOKEN: token, BASE_INTERNAL_URL: 'http://broker:8002' };

function refused(env: Record<string, string>): ConfigValidationError {
  try {
    loadConfig(AgentWorkerConfig, env);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('agent-worker configuration (API.md "Agent worker environment")', () => {
  it('needs only the token and the base URL', () => {
    expect(loadConfig(AgentWorkerConfig, base)).toMatchObject({ ...base, HEALTH_PORT: 8004 });
  });

  it('prefetches by default (PREFETCH=1), and accepts 0 or 1', () => {
    expect(loadConfig(AgentWorkerConfig, base).PREFETCH).toBe(1);
    expect(loadConfig(AgentWorkerConfig, { ...base, PREFETCH: '0' }).PREFETCH).toBe(0);
    expect(loadConfig(AgentWorkerConfig, { ...base, PREFETCH: '1' }).PREFETCH).toBe(1);
  });

  it('accepts MODE=agent and the optional settings', () => {
    const c = loadConfig(AgentWorkerConfig, { ...base, MODE: 'agent', WORKER_SUFFIX: 'edge-1', INIT_SCRIPT: 'echo hi' });
    expect(c).toMatchObject({ MODE: 'agent', WORKER_SUFFIX: 'edge-1', INIT_SCRIPT: 'echo hi' });
  });

  it.each([
    ['no token', { BASE_INTERNAL_URL: base.BASE_INTERNAL_URL }, 'AGENT_TOKEN'],
    ['a token without the jwt_agent_ prefix', { ...base, AGENT_TOKEN: token.slice('jwt_agent_'.length) }, 'AGENT_TOKEN'],
    ['no base URL', { AGENT_TOKEN: token }, 'BASE_INTERNAL_URL'],
    ['a base URL with a trailing slash', { ...base, BASE_INTERNAL_URL: 'http://broker:8002/' }, 'BASE_INTERNAL_URL'],
    ['a base URL that is not http', { ...base, BASE_INTERNAL_URL: 'ftp://broker' }, 'BASE_INTERNAL_URL'],
    ['another MODE', { ...base, MODE: 'normal' }, 'MODE'],
    ['a suffix with spaces', { ...base, WORKER_SUFFIX: 'a b' }, 'WORKER_SUFFIX'],
    ['PREFETCH=2', { ...base, PREFETCH: '2' }, 'PREFETCH'],
    ['PREFETCH=yes', { ...base, PREFETCH: 'yes' }, 'PREFETCH'],
    ['PREFETCH=-1', { ...base, PREFETCH: '-1' }, 'PREFETCH'],
  ])('refuses %s, naming the variable', (_n, env, variable) => {
    expect(refused(env).problems.map((p) => p.variable)).toEqual([variable]);
  });

  it('never echoes the token', () => {
    const bad = 'jwt_agent_not.a-valid token';
    expect(refused({ ...base, AGENT_TOKEN: bad }).message).not.toContain('not.a-valid');
  });
});
