import { StringDecoder } from 'node:string_decoder';
import { Clock, TimerHandle } from './clock.service';
import { capText, ExecutionErrorCode } from './execution.error';
import type { CancelRequest, ExecutionHooks, ExecutionJob, ExecutionResult, RunningExecution } from './execution.types';
import type { ExecutorSettings } from './executor.settings';
import { buildJobEnvironment } from './job-environment.util';
import type { LaunchPlan, ProcessExit } from './languages/language-runner.types';
import { runnerFor } from './languages/language-runner.registry';
import { LogCollector } from './log-collector.util';
import { LastLine, TailText } from './output-tail.util';
import { JobProcess, ProcessSpawner } from './process-spawner.service';
import { JobDirectory, TempDirs } from './temp-dirs.service';

export const TIMEOUT_CANCEL: CancelRequest = { by: 'timeout', reason: 'timeout' };

export interface ExecutionDeps {
  settings: ExecutorSettings;
  spawner: ProcessSpawner;
  tempDirs: TempDirs;
  clock: Clock;
}

/** One job's run: directory, process group, output, cancellation, result, cleanup. */
export class ExecutionRun implements RunningExecution {
  readonly done: Promise<ExecutionResult>;
  private cancelRequest: CancelRequest | undefined;
  private pid: number | undefined;
  private exited = false;
  private killTimer: TimerHandle | undefined;
  private timeoutTimer: TimerHandle | undefined;
  private readonly logs: LogCollector;
  private readonly stdoutLastLine: LastLine;
  private readonly tail = new TailText(4000);

  constructor(
    private readonly job: ExecutionJob,
    hooks: ExecutionHooks,
    private readonly deps: ExecutionDeps,
  ) {
    const { settings, clock } = deps;
    this.logs = new LogCollector(hooks.onLogs, { maxBytes: settings.maxLogBytes, flushIntervalMs: settings.logFlushIntervalMs }, clock);
    this.stdoutLastLine = new LastLine(settings.maxResultBytes);
    const signal = hooks.signal;
    const onAbort = () => this.cancel(cancelFromAbort(signal?.reason));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.done = this.execute().finally(() => signal?.removeEventListener('abort', onAbort));
  }

  get jobId(): string {
    return this.job.id;
  }

  cancel(request: CancelRequest): void {
    if (this.cancelRequest || this.exited) return;
    this.cancelRequest = request;
    // Before the process exists, execute() sees the request and does not start it.
    if (this.pid !== undefined) this.terminate(this.pid);
  }

  private async execute(): Promise<ExecutionResult> {
    const { settings, clock, tempDirs } = this.deps;
    const started = clock.monotonicMs();
    const elapsed = () => Math.round(clock.monotonicMs() - started);
    let dir: JobDirectory | undefined;
    try {
      if (this.cancelRequest) return this.canceled(elapsed());
      dir = await tempDirs.create(this.job.id);
      const runner = runnerFor(this.job.language);
      const plan = await runner.prepare(this.job, dir, settings);
      if (this.cancelRequest) return this.canceled(elapsed());
      this.logs.start();
      const exit = await this.runProcess(plan, dir);
      await this.logs.close();
      const durationMs = elapsed();
      if (this.cancelRequest) return this.canceled(durationMs);
      const output = { stdoutLastLine: this.stdoutLastLine.value, logTail: this.tail.lastLines(20) };
      return { ...(await runner.interpret(exit, dir, output, settings)), durationMs };
    } catch (err) {
      await this.logs.close();
      const message = err instanceof Error ? err.message : String(err);
      return { success: false, error: { name: ExecutionErrorCode.SpawnFailed, message: capText(`could not run the job: ${message}`) }, durationMs: elapsed() };
    } finally {
      clock.clear(this.timeoutTimer);
      clock.clear(this.killTimer);
      if (dir) {
        const path = dir.root;
        await tempDirs.remove(dir).catch((err: unknown) => settings.warn(`job ${this.job.id}: could not remove ${path}: ${String(err)}`));
      }
    }
  }

  private runProcess(plan: LaunchPlan, dir: JobDirectory): Promise<ProcessExit> {
    const { settings, spawner, clock } = this.deps;
    const env = buildJobEnvironment(this.job, { path: settings.path, baseInternalUrl: settings.baseInternalUrl, home: dir.work, languageDefaults: plan.env });
    return new Promise<ProcessExit>((resolve, reject) => {
      // Throws synchronously on unusable input (e.g. a NUL byte in an argument): reported as SpawnFailed.
      const child = spawner.spawn({ command: plan.command, args: plan.args, cwd: dir.work, env });
      this.wireOutput(child);
      child.once('error', (err) => {
        // Only a failure to start matters here; after a start, 'exit' decides.
        if (child.pid === undefined) reject(err);
      });
      child.once('exit', (code, signal) => {
        this.exited = true;
        clock.clear(this.timeoutTimer);
        clock.clear(this.killTimer);
        // Background processes the job left behind must not outlive it (nor hold its pipes).
        if (child.pid !== undefined) this.signalGroup(child.pid, 'SIGKILL');
        // A process that escaped the group (setsid) could keep the pipes open forever.
        const cut = clock.after(settings.drainMs, () => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        });
        child.once('close', () => {
          clock.clear(cut);
          resolve({ code, signal });
        });
      });
      // A process started directly has its pid now; one started by the launcher gets it
      // with 'spawn' (a cancel that came meanwhile is applied then).
      const started = (pid: number) => {
        this.pid = pid;
        if (this.cancelRequest) this.terminate(pid);
        const timeoutS = this.job.timeoutS;
        if (timeoutS !== undefined && timeoutS !== null && timeoutS > 0) {
          this.timeoutTimer = clock.after(timeoutS * 1000, () => this.cancel(TIMEOUT_CANCEL));
        }
      };
      if (child.pid !== undefined) started(child.pid);
      else child.once('spawn', () => child.pid !== undefined && started(child.pid));
    });
  }

  private wireOutput(child: JobProcess): void {
    const onText = (text: string, fromStdout: boolean) => {
      if (text.length === 0) return;
      if (fromStdout) this.stdoutLastLine.write(text);
      this.tail.write(text);
      this.logs.write(text);
    };
    // One decoder per stream: a multi-byte character split across reads stays whole.
    for (const [stream, fromStdout] of [
      [child.stdout, true],
      [child.stderr, false],
    ] as const) {
      if (!stream) continue;
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => onText(decoder.write(chunk), fromStdout));
      stream.on('end', () => onText(decoder.end(), fromStdout));
      // A destroyed pipe (see drainMs) may error; the exit status still decides the outcome.
      stream.on('error', () => undefined);
    }
  }

  private terminate(pid: number): void {
    this.signalGroup(pid, 'SIGTERM');
    this.deps.clock.clear(this.killTimer);
    this.killTimer = this.deps.clock.after(this.deps.settings.killGraceMs, () => this.signalGroup(pid, 'SIGKILL'));
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      this.deps.spawner.signalGroup(pid, signal);
    } catch (err) {
      this.deps.settings.warn(`job ${this.job.id}: could not send ${signal} to process group ${pid}: ${String(err)}`);
    }
  }

  private canceled(durationMs: number): ExecutionResult {
    const request = this.cancelRequest ?? { by: 'unknown' };
    const timedOut = request === TIMEOUT_CANCEL;
    const message = timedOut
      ? `the job exceeded its timeout of ${this.job.timeoutS ?? '?'}s and was cancelled`
      : `the job was cancelled by ${request.by}${request.reason ? `: ${request.reason}` : ''}`;
    return {
      success: false,
      error: { name: timedOut ? ExecutionErrorCode.Timeout : ExecutionErrorCode.Canceled, message: capText(message) },
      durationMs,
      canceledBy: request.by,
      ...(request.reason !== undefined ? { canceledReason: request.reason } : {}),
    };
  }
}

function cancelFromAbort(reason: unknown): CancelRequest {
  if (typeof reason === 'object' && reason !== null && typeof (reason as { by?: unknown }).by === 'string') {
    const r = reason as { by: string; reason?: unknown };
    return { by: r.by, ...(typeof r.reason === 'string' ? { reason: r.reason } : {}) };
  }
  return { by: 'abort', ...(typeof reason === 'string' ? { reason } : {}) };
}
