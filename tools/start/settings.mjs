// The launcher's own settings, read once and checked before anything is built or started,
// so a typo fails in a second with the variable named instead of after a minute of start-up.
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class SettingsError extends Error {}

function port(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new SettingsError(`${name} must be a port number from 1 to 65535 (got ${JSON.stringify(raw)})`);
  }
  return Number(raw);
}

function bool(env, name) {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new SettingsError(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {{
 *   databaseUrl: string | undefined, dataDir: string, gatewayPort: number,
 *   ports: Record<string, number | undefined>, logLevel: string, skipBuild: boolean,
 * }}
 */
export function readSettings(env) {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    // Never echo the value: it usually holds a password.
    throw new SettingsError('DATABASE_URL must be a postgres:// URL');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`);
  }
  return {
    databaseUrl,
    dataDir: path.resolve(REPO_ROOT, env.MILLRACE_DATA_DIR || '.data'),
    gatewayPort: port(env, 'PORT', 8000),
    // Unset means "any free port": several checkouts can run side by side.
    ports: {
      'job-queue': port(env, 'JOB_QUEUE_PORT', undefined),
      'agent-broker': port(env, 'AGENT_BROKER_PORT', undefined),
      'normal-worker': port(env, 'NORMAL_WORKER_HEALTH_PORT', undefined),
      'agent-worker': port(env, 'AGENT_WORKER_HEALTH_PORT', undefined),
    },
    logLevel,
    // For callers that have just built the bundles themselves (the e2e test under `npm test`,
    // where rebuilding would rewrite dist/ under other projects' running tests).
    skipBuild: bool(env, 'MILLRACE_SKIP_BUILD'),
  };
}
