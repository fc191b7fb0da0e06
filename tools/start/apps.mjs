// What `npm start` runs, in waves. Each wave starts together and must be ready (its
// `/health/ready` answers 200) before the next wave starts.
//
// Adding the demo agent worker (a later issue) takes three steps here:
//   1. implement `mintDemoAgentToken` below (e.g. log in to the gateway and call
//      POST /api/agent_workers/create_agent_token);
//   2. nothing else: the agent-worker entry in `AGENT_APPS` already runs once it returns a
//      token, pointed at the gateway;
//   3. implement `adminLogin` once the gateway seeds the superadmin, so the ready banner
//      shows how to sign in.

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
  { name: 'normal-worker', portVar: 'HEALTH_PORT', env: database },
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
      SUPERADMIN_EMAIL: ctx.env.SUPERADMIN_EMAIL || 'admin@millrace.local',
      SUPERADMIN_PASSWORD: ctx.env.SUPERADMIN_PASSWORD || 'changeme',
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

/**
 * Mints the token of the one demo agent once the server apps are ready.
 * Returns undefined while the gateway cannot mint (issue 2): the agent worker is skipped.
 *
 * @param {Context} _ctx
 * @returns {Promise<string | undefined>}
 */
export async function mintDemoAgentToken(_ctx) {
  return undefined;
}

/**
 * The sign-in line printed under the ready banner, or undefined while the gateway has no
 * login (issue 2).
 *
 * @param {Context} _ctx
 * @returns {string | undefined}
 */
export function adminLogin(_ctx) {
  return undefined;
}
