import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// What `npm start` runs, in waves. Each wave starts together and must be ready (its
// `/health/ready` answers 200) before the next wave starts: first the server apps, then —
// once the gateway can mint a token for it — the one demo agent worker (group `demo`, tag
// `demo`), which reaches everything through the gateway like a remote agent would.

/**
 * @typedef {object} Context
 * @property {string} databaseUrl
 * @property {string} logLevel
 * @property {string} dataDir                       absolute MILLRACE_DATA_DIR
 * @property {Record<string, string>} urls           base URL of every app started so far
 * @property {{ JWT_PRIVATE_KEY: string, JWT_PUBLIC_KEY: string, JOB_TOKEN_SECRET: string }} secrets  see secrets.mjs
 * @property {string | undefined} demoAgentToken
 * @property {Record<string, string | undefined>} env the launcher's environment
 *
 * @typedef {object} AppSpec
 * @property {string} name              Nx project; runs dist/apps/<name>/main.js
 * @property {'PORT' | 'HEALTH_PORT'} portVar  the variable the app's config reads
 * @property {(ctx: Context) => boolean} [enabled]
 * @property {(ctx: Context) => Record<string, string>} env  app-specific variables
 */

/** @param {Context} ctx */
const database = (ctx) => ({
  DATABASE_URL: ctx.databaseUrl,
  // The launcher applied migrations before starting anything.
  DB_SKIP_MIGRATIONS: 'true',
});

/** @type {AppSpec[]} Everything that needs only PostgreSQL; they start together. */
// Apps ignore variables their config class does not declare, so handing one over before the
// app reads it (a URL, a key) is harmless, and keeps `npm start` working as features land.
export const SERVER_APPS = [
  { name: 'job-queue', portVar: 'PORT', env: (ctx) => ({ ...database(ctx), JWT_PUBLIC_KEY: ctx.secrets.JWT_PUBLIC_KEY }) },
  {
    name: 'agent-broker',
    portVar: 'PORT',
    env: (ctx) => ({ ...database(ctx), JWT_PUBLIC_KEY: ctx.secrets.JWT_PUBLIC_KEY, JOB_TOKEN_SECRET: ctx.secrets.JOB_TOKEN_SECRET }),
  },
  // Jobs reach the API through the gateway (handed to them as BASE_INTERNAL_URL).
  { name: 'normal-worker', portVar: 'HEALTH_PORT', env: (ctx) => ({ ...database(ctx), BASE_INTERNAL_URL: ctx.urls['api-gateway'] }) },
  {
    name: 'api-gateway',
    portVar: 'PORT',
    env: (ctx) => ({
      ...database(ctx),
      JWT_PRIVATE_KEY: ctx.secrets.JWT_PRIVATE_KEY,
      JWT_PUBLIC_KEY: ctx.secrets.JWT_PUBLIC_KEY,
      MILLRACE_DATA_DIR: ctx.dataDir,
      JOB_QUEUE_URL: ctx.urls['job-queue'],
      AGENT_BROKER_URL: ctx.urls['agent-broker'],
      SUPERADMIN_EMAIL: superadmin(ctx).email,
      SUPERADMIN_PASSWORD: superadmin(ctx).password,
    }),
  },
];

/** @type {AppSpec[]} Apps that need a running gateway and a minted agent token. */
export const AGENT_APPS = [
  {
    name: 'agent-worker',
    portVar: 'HEALTH_PORT',
    enabled: (ctx) => ctx.demoAgentToken !== undefined,
    env: (ctx) => ({
      AGENT_TOKEN: ctx.demoAgentToken ?? '',
      BASE_INTERNAL_URL: ctx.urls['api-gateway'],
      WORKER_SUFFIX: 'demo',
    }),
  },
];

const superadmin = (ctx) => ({
  email: ctx.env.SUPERADMIN_EMAIL || 'admin@millrace.local',
  password: ctx.env.SUPERADMIN_PASSWORD || 'changeme',
});

async function gatewayCall(ctx, route, body, token) {
  const res = await fetch(`${ctx.urls['api-gateway']}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${route} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/**
 * Mints the token of the one demo agent (group `demo`, tag `demo`) through the gateway's
 * public API, as a superadmin would, once the server apps are ready. The previous start's
 * demo token is revoked, so restarts do not pile up live tokens.
 *
 * @param {Context} ctx
 * @returns {Promise<string | undefined>}
 */
export async function mintDemoAgentToken(ctx) {
  try {
    return await mintThroughGateway(ctx);
  } catch (e) {
    // E.g. SUPERADMIN_* changed after the first start (the superadmin is created once, on an
    // empty database): everything else still runs, without the demo agent.
    process.stderr.write(`[launcher] no demo agent: could not mint its token (${e instanceof Error ? e.message : String(e)})\n`);
    return undefined;
  }
}

async function mintThroughGateway(ctx) {
  const { email, password } = superadmin(ctx);
  const { token: session } = JSON.parse(await gatewayCall(ctx, '/api/auth/login', { email, password }));
  const token = await gatewayCall(ctx, '/api/agent_workers/create_agent_token', { worker_group: 'demo', tags: ['demo'] }, session);
  const jtiFile = path.join(ctx.dataDir, 'demo-agent.jti');
  if (existsSync(jtiFile)) {
    const previous = readFileSync(jtiFile, 'utf8').trim();
    // Already revoked or gone with a fresh database: either way nothing to do.
    await gatewayCall(ctx, '/api/agent_workers/blacklist_token', { jti: previous }, session).catch(() => undefined);
  }
  const payload = JSON.parse(Buffer.from(token.slice('jwt_agent_'.length).split('.')[1], 'base64url').toString('utf8'));
  writeFileSync(jtiFile, `${payload.jti}\n`, { mode: 0o600 });
  return token;
}

/**
 * The sign-in line printed under the ready banner. The password is shown only when it is
 * the local default; a configured one stays secret.
 *
 * @param {Context} ctx
 * @returns {string | undefined}
 */
export function adminLogin(ctx) {
  const { email } = superadmin(ctx);
  return ctx.env.SUPERADMIN_PASSWORD
    ? `Log in as ${email} with the password in SUPERADMIN_PASSWORD`
    : `Log in as ${email} / changeme (local default: set SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD for anything else)`;
}
