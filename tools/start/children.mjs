// Child processes of the launcher: name-prefixed output, a tail kept for post-mortems,
// readiness polling and a stop that leaves nothing behind.
//
// Every child gets its own process group (`detached`), for two reasons: Ctrl-C in a
// terminal signals the whole foreground group, and the launcher, not the terminal, must
// decide the order of shutdown (apps drain before PostgreSQL goes); and a group can be
// killed as a whole, taking along anything an app spawned (a worker's scripts).
import { spawn } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';
import { formatLine } from './log-format.mjs';

const TAIL_LINES = 40;
const COLOURS = [36, 35, 33, 32, 34, 96, 95];
let nextColour = 0;

/** Writes one line from `name`, prefixed; coloured when stdout is a terminal. */
export function say(name, text) {
  const p = prefix(name);
  process.stdout.write(`${text.split('\n').map((line) => `${p} ${line}`).join('\n')}\n`);
}

const prefixes = new Map();
function prefix(name) {
  let p = prefixes.get(name);
  if (!p) {
    p = process.stdout.isTTY ? `\x1b[${COLOURS[nextColour++ % COLOURS.length]}m[${name}]\x1b[0m` : `[${name}]`;
    prefixes.set(name, p);
  }
  return p;
}

export class Child {
  /**
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {{ env: Record<string, string | undefined>, cwd?: string, ipc?: boolean, quiet?: boolean, tailLines?: number, ownGroup?: boolean }} opts
   *   `quiet`: keep the output for a post-mortem instead of printing it as it comes.
   *   `ownGroup` (default true): false for short-lived commands that should get Ctrl-C directly.
   */
  constructor(name, command, args, opts) {
    this.name = name;
    this.tail = [];
    this.tailLines = opts.tailLines ?? TAIL_LINES;
    this.ownGroup = opts.ownGroup ?? true;
    this.proc = spawn(command, args, {
      env: opts.env,
      cwd: opts.cwd,
      detached: opts.ownGroup ?? true,
      stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? ['ipc'] : [])],
    });
    this.pid = this.proc.pid;
    /** Resolves with `{code, signal}` once the process has exited and its output is drained. */
    this.exited = new Promise((resolve) => {
      this.proc.on('error', (err) => {
        this.remember(`failed to start: ${err.message}`);
        resolve({ code: null, signal: null, error: err });
      });
      this.proc.on('close', (code, signal) => resolve({ code, signal }));
    });
    this.done = false;
    void this.exited.then(() => (this.done = true));
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        const text = formatLine(line);
        this.remember(text);
        if (!opts.quiet) say(this.name, text);
      });
    }
  }

  remember(line) {
    this.tail.push(line);
    if (this.tail.length > this.tailLines) this.tail.shift();
  }

  signalGroup(signal) {
    try {
      if (this.ownGroup) process.kill(-this.pid, signal);
      else this.proc.kill(signal);
      return true;
    } catch {
      return false; // ESRCH: the group is already gone.
    }
  }

  /**
   * SIGTERM to the process (it drains and takes its own children down), SIGKILL to its whole
   * group after `graceMs`; then SIGKILL to the group again for anything the process left
   * behind. Resolves true when the process went by itself.
   */
  async stop(graceMs) {
    if (this.pid === undefined) return true;
    if (!this.done) this.proc.kill('SIGTERM');
    let timer;
    const inTime = await Promise.race([
      this.exited.then(() => true),
      new Promise((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!inTime) say('launcher', `${this.name} did not stop within ${graceMs / 1000}s: killing it`);
    this.signalGroup('SIGKILL');
    await this.exited;
    return inTime;
  }

  /** Kills the whole group now (second Ctrl-C). */
  kill() {
    this.signalGroup('SIGKILL');
  }
}

/** GET `url`, resolving with the status code (0 when nothing answers). No keep-alive. */
export function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Polls `url` until it answers 200; rejects as soon as `child` exits or after `timeoutMs`.
 * @param {Child} child
 */
export async function waitReady(child, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.done) throw new Error(`${child.name} exited during start-up`);
    if ((await httpStatus(url)) === 200) return;
    if (Date.now() > deadline) throw new Error(`${child.name} was not ready after ${timeoutMs / 1000}s (${url})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
