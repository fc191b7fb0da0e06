/**
 * The job launcher: a small Node process (only built-ins, read from stdin: `node -`) that
 * starts job processes on its worker's behalf and relays them over its IPC channel
 * (advanced serialization, so output travels as bytes). See job-launcher.ts for why.
 *
 * Worker → launcher: `{ type: 'spawn', id, command, args, cwd, env }`, `{ type: 'cut', id }`.
 * Launcher → worker, per id, in this order: `spawned {pid}` or `error {message, code}`;
 * then `data {fd, data}`…, `exit {code, signal}` and `close` — or, when the output closed
 * right after the exit, one `exit {code, signal, closed: true}`.
 *
 * It exits when its channel closes (the worker exited or let it go); it ignores SIGTERM,
 * SIGINT and SIGHUP so that a signal to the worker's whole group cannot cut the jobs a
 * draining worker is still waiting for. Output is paused while more than OUTPUT_HIGH_WATER
 * bytes are sent and not yet written to the channel, so a job that prints faster than the
 * worker reads waits, as it would on a pipe, instead of filling the launcher's memory.
 */
export const LAUNCHER_PROGRAM = String.raw`'use strict';
const { spawn } = require('node:child_process');
const OUTPUT_HIGH_WATER = 1024 * 1024;
const children = new Map();
const paused = new Set();
let unwritten = 0;

function send(message, bytes) {
  unwritten += bytes;
  process.send(message, undefined, undefined, () => {
    unwritten -= bytes;
    if (unwritten < OUTPUT_HIGH_WATER && paused.size > 0) {
      for (const stream of paused) stream.resume();
      paused.clear();
    }
  });
}

function start(m) {
  const fail = (e) => send({ type: 'error', id: m.id, message: String((e && e.message) || e), code: e && e.code }, 0);
  let child;
  try {
    child = spawn(m.command, m.args, { cwd: m.cwd, env: m.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    fail(e);
    return;
  }
  child.once('error', (e) => {
    if (child.pid === undefined) fail(e);
  });
  if (child.pid === undefined) return;
  children.set(m.id, child);
  send({ type: 'spawned', id: m.id, pid: child.pid }, 0);
  for (const [stream, fd] of [[child.stdout, 1], [child.stderr, 2]]) {
    stream.on('data', (data) => {
      send({ type: 'data', id: m.id, fd, data }, data.length);
      if (unwritten >= OUTPUT_HIGH_WATER) {
        stream.pause();
        paused.add(stream);
      }
    });
    stream.on('error', () => undefined);
  }
  // 'close' usually follows 'exit' at once: then one message says both.
  let exit;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    setImmediate(() => {
      if (exit) send({ type: 'exit', id: m.id, code, signal }, 0);
      exit = undefined;
    });
  });
  child.once('close', () => {
    children.delete(m.id);
    paused.delete(child.stdout);
    paused.delete(child.stderr);
    if (exit) send({ type: 'exit', id: m.id, code: exit.code, signal: exit.signal, closed: true }, 0);
    else send({ type: 'close', id: m.id }, 0);
    exit = undefined;
  });
}

process.on('message', (m) => {
  if (m.type === 'spawn') start(m);
  else if (m.type === 'cut') {
    const child = children.get(m.id);
    if (child) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
  }
});
process.on('disconnect', () => process.exit(0));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => undefined);
`;
