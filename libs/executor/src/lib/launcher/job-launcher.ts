import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { JobProcess, ProcessSpawner, SpawnRequest } from '../process-spawner.service';
import { LAUNCHER_PROGRAM } from './launcher.program';

/** What the launcher sends back (launcher.program.ts). */
type LauncherMessage =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'error'; id: number; message: string; code?: string }
  | { type: 'data'; id: number; fd: 1 | 2; data: Uint8Array }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null; closed?: boolean }
  | { type: 'close'; id: number };

/**
 * A job's process started by the launcher: its pid arrives with 'spawn', its output as the
 * launcher relays it, then 'exit' and 'close' as a ChildProcess emits them.
 */
export class LaunchedProcess extends EventEmitter implements JobProcess {
  pid: number | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  private exited = false;
  private closed = false;

  constructor(onCut: () => void) {
    super();
    // Destroying a stream before the launcher's 'close' (the executor's drain cut) asks the
    // launcher to close its ends too (once for both).
    let cut = false;
    const stream = () =>
      new Readable({
        read: () => undefined,
        destroy: (err, callback) => {
          if (!this.closed && !cut) {
            cut = true;
            onCut();
          }
          callback(err);
        },
      });
    this.stdout = stream();
    this.stderr = stream();
  }

  spawned(pid: number): void {
    this.pid = pid;
    this.emit('spawn');
  }

  failedToStart(error: Error): void {
    this.emit('error', error);
  }

  output(fd: 1 | 2, data: Uint8Array): void {
    const stream = fd === 1 ? this.stdout : this.stderr;
    if (!stream.destroyed) stream.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code, signal);
  }

  /** Ends both streams; 'close' follows once they have closed, as with a ChildProcess. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ended = [this.stdout, this.stderr].map((s) => {
      if (s.closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        s.once('close', resolve);
        s.push(null);
      });
    });
    void Promise.all(ended).then(() => this.emit('close'));
  }

  get hasExited(): boolean {
    return this.exited;
  }
}

/**
 * One launcher process per worker process, started at the first job and again after it
 * dies. Why a launcher: a fork copies the forking process's page tables and write-protects
 * every page it has written, so the worker — 100+ MB of V8 heap and code — paid for each job
 * twice, in the fork and in a page fault on every page it touched afterwards (on the
 * benchmark machine about 200 faults per job, the larger part of the worker's CPU per trivial
 * job). The launcher is a bare Node process with a few MB of heap: forking it costs little,
 * and the worker never forks. The job's output comes through it; signals still go from the
 * worker straight to the job's process group.
 */
export class JobLauncher {
  private process: ChildProcess | undefined;
  private nextId = 1;
  private readonly running = new Map<number, { job: LaunchedProcess; warn: (m: string) => void; launcher: ChildProcess }>();

  /** The launcher's pid, once started (tests). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  spawn(request: SpawnRequest, warn: (message: string) => void): LaunchedProcess {
    const launcher = this.process?.connected ? this.process : this.start();
    const id = this.nextId++;
    const job = new LaunchedProcess(() => this.send(launcher, { type: 'cut', id }));
    this.running.set(id, { job, warn, launcher });
    this.keepAlive(launcher);
    this.send(launcher, { type: 'spawn', id, command: request.command, args: [...request.args], cwd: request.cwd, env: request.env }, (err) => {
      // Never synchronous: the caller attaches its listeners after spawn() returns.
      if (!err || !this.running.has(id)) return;
      this.finished(id);
      job.failedToStart(new Error(`could not reach the job launcher: ${err.message}`));
    });
    return job;
  }

  /** Lets the launcher go (it exits when its channel closes); running jobs are killed. */
  close(): void {
    const launcher = this.process;
    if (launcher?.connected) launcher.disconnect();
  }

  private start(): ChildProcess {
    // `node -` reads the program from stdin. No environment of the worker's (secrets,
    // NODE_OPTIONS): each job gets the environment the executor built for it.
    // Its own V8 needs no helper threads, and a small young generation touches fewer pages
    // (each written page costs a fault after every fork): about a tenth less CPU per job.
    const launcher = spawn(process.execPath, ['--single-threaded', '--max-semi-space-size=1', '-'], { argv0: 'millrace-job-launcher', env: {}, stdio: ['pipe', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    launcher.stdin?.on('error', () => undefined);
    launcher.stdin?.end(LAUNCHER_PROGRAM);
    launcher.on('message', (m: LauncherMessage) => this.onMessage(m));
    launcher.once('error', (err) => this.lost(launcher, `could not be started or reached: ${err.message}`));
    launcher.once('exit', (code, signal) => this.lost(launcher, `exited (${signal ?? `code ${code}`})`));
    // The launcher does not keep the worker alive; its channel does only while a job runs.
    launcher.unref();
    launcher.channel?.unref();
    this.process = launcher;
    return launcher;
  }

  private onMessage(m: LauncherMessage): void {
    const entry = this.running.get(m.id);
    if (!entry) return;
    const { job } = entry;
    switch (m.type) {
      case 'spawned':
        job.spawned(m.pid);
        return;
      case 'error':
        this.finished(m.id);
        job.failedToStart(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
        return;
      case 'data':
        job.output(m.fd, m.data);
        return;
      case 'exit':
        job.exit(m.code, m.signal);
        if (!m.closed) return;
        this.finished(m.id);
        job.close();
        return;
      case 'close':
        this.finished(m.id);
        job.close();
        return;
    }
  }

  /**
   * A launcher died (or could not be reached). A job it had not started fails to start; a
   * started one can no longer be followed, so its process group is killed and it ends as
   * killed by SIGKILL. The next job starts a new launcher.
   */
  private lost(launcher: ChildProcess, how: string): void {
    if (this.process === launcher) this.process = undefined;
    // After an 'error' it may still run: it must not outlive the jobs it can no longer relay.
    if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGKILL');
    for (const [id, { job, warn, launcher: owner }] of this.running) {
      if (owner !== launcher) continue;
      this.finished(id);
      if (job.pid === undefined) {
        job.failedToStart(new Error(`the job launcher ${how} before the job started`));
        continue;
      }
      if (!job.hasExited) {
        warn(`job launcher ${how} while process ${job.pid} ran: its process group is killed`);
        try {
          process.kill(-job.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        job.exit(null, 'SIGKILL');
      }
      job.close();
    }
  }

  private finished(id: number): void {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    this.keepAlive(entry.launcher);
  }

  /** A launcher's channel holds the worker's event loop open exactly while it runs a job. */
  private keepAlive(launcher: ChildProcess): void {
    const busy = [...this.running.values()].some((e) => e.launcher === launcher);
    if (busy) launcher.channel?.ref();
    else launcher.channel?.unref();
  }

  private send(launcher: ChildProcess, message: object, callback?: (err: Error | null) => void): void {
    if (!launcher.connected) {
      if (callback) process.nextTick(callback, new Error('its channel is closed'));
      return;
    }
    launcher.send(message, undefined, {}, (err) => callback?.(err));
  }
}

/** Shared by every executor in the process: one launcher per worker. */
let shared: JobLauncher | undefined;
export function sharedJobLauncher(): JobLauncher {
  shared ??= new JobLauncher();
  return shared;
}

/** A ProcessSpawner that starts jobs through the launcher; signals go to the group directly. */
export class LauncherSpawner extends ProcessSpawner {
  constructor(
    private readonly warn: (message: string) => void,
    private readonly launcher: JobLauncher = sharedJobLauncher(),
  ) {
    super();
  }

  override spawn(request: SpawnRequest): JobProcess {
    return this.launcher.spawn(request, this.warn);
  }
}
