import { Clock, ScriptExecutor } from '@millrace/executor';
import { ABORTED, Backoff, untilAborted } from './backoff.util';
import { describeError, isJobSourceError, JobSourceErrorCode } from './job-source.error';
import { JobRun } from './job.runner';
import { DEFAULT_WORKER_LOOP_SETTINGS, WorkerLoopSettings } from './worker-loop.settings';
import type { JobSource, PingType, WorkerJob } from './worker-loop.types';
import { nextTurn } from './next-turn.util';

export type WorkerLoopOptions = Partial<WorkerLoopSettings> & Pick<WorkerLoopSettings, 'workerName' | 'version' | 'workerInstance'>;

export type LoopState = 'new' | 'running' | 'stopping' | 'stopped';

export const SHUTDOWN_CANCEL_REASON = 'worker shutdown';

/**
 * The worker engine both worker apps share, over a `JobSource` transport: ping, pull up to
 * `concurrency` jobs, run each (logs, heartbeats, cancel), report. Transport errors are
 * logged and retried with backoff; they never end the loop (only a `Fatal` one does).
 *
 * With `prefetch: 1` and a source that can `release`, one pull stays open while every slot
 * is busy; the job it returns is held and starts as soon as a slot frees (see
 * `WorkerLoopSettings.prefetch`). There is never more than one pull in flight or one job held.
 */
export class WorkerLoop {
  readonly settings: WorkerLoopSettings;
  private loopState: LoopState = 'new';
  private readonly runs = new Map<string, { run: JobRun; task: Promise<void> }>();
  /**
   * Jobs whose process still runs. A slot frees when the process ends, not when its outcome
   * is acknowledged, so the next pull overlaps the report (for an agent, an HTTP round
   * trip); `runs` keeps the job until it is reported, for shutdown.
   */
  private readonly executing = new Set<string>();
  private readonly pullAbort = new AbortController();
  /** Aborted a while after `pullAbort`: stop waiting for a pull that ignores its signal. */
  private readonly pullGiveUp = new AbortController();
  private readonly pingAbort = new AbortController();
  private readonly giveUp = new AbortController();
  private mainLoop: Promise<void> = Promise.resolve();
  private pingLoop: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private slotFreed: (() => void) | null = null;
  private executed = 0;
  private finishedBusyMs = 0;
  private startedMs = 0;
  /** When the last ping was started (monotonic ms): `job` pings are throttled on it. */
  private lastPingStartedMs = -Infinity;
  /**
   * The last ping the source accepted, as measured when it was sent: busy slot time and pulls
   * started by then. Occupancy is reported since it (a skipped or failed ping leaves the window
   * open, so the next ping covers it), and a pull started after it stands in for a ping.
   */
  private accepted: { atMs: number; busyMs: number; pulls: number } | null = null;
  private pullsStarted = 0;
  private pullInFlight = false;
  /** Prefetch is on: `prefetch` is 1 and the source can give a held job back. */
  private readonly prefetching: boolean;
  /**
   * Set when a held job was released (no slot freed in time): no prefetch until a slot frees,
   * or a worker busy with a long job would claim and release one every `prefetchHoldMs`.
   */
  private prefetchPaused = false;

  constructor(
    private readonly source: JobSource,
    private readonly executor: ScriptExecutor,
    options: WorkerLoopOptions,
    private readonly clock: Clock = new Clock(),
  ) {
    this.settings = { ...DEFAULT_WORKER_LOOP_SETTINGS, ...options };
    if (!Number.isInteger(this.settings.concurrency) || this.settings.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (this.settings.prefetch !== 0 && this.settings.prefetch !== 1) throw new RangeError('prefetch must be 0 or 1');
    if (!Number.isFinite(this.settings.prefetchHoldMs) || this.settings.prefetchHoldMs < 0) throw new RangeError('prefetchHoldMs must be a non-negative number');
    this.prefetching = this.settings.prefetch === 1 && typeof source.release === 'function';
  }

  /** Jobs finished (reported or not) since start. */
  get jobsExecuted(): number {
    return this.executed;
  }

  get state(): LoopState {
    return this.loopState;
  }

  get runningJobIds(): string[] {
    return [...this.runs.keys()];
  }

  start(): void {
    if (this.loopState !== 'new') throw new Error(`the worker loop cannot start: it is ${this.loopState}`);
    this.loopState = 'running';
    this.startedMs = this.clock.monotonicMs();
    this.pingLoop = this.runPingLoop();
    this.mainLoop = this.runMainLoop();
  }

  /**
   * Stops pulling, lets running jobs finish for up to `graceMs`, then cancels the rest
   * (reason "worker shutdown") and waits for them to die and report — at most
   * `shutdownReportMs` more, after which reports still failing are abandoned. Never rejects.
   */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    const { settings } = this;
    if (this.loopState === 'new') {
      this.loopState = 'stopped';
      return;
    }
    this.loopState = 'stopping';
    this.pullAbort.abort();
    this.wakeSlotWaiter();
    // A claim in flight may still return a job (now ours to run); wait for it, but not forever.
    const giveUpPull = this.clock.after(settings.pullAbortGraceMs, () => this.pullGiveUp.abort());
    await this.mainLoop;
    this.clock.clear(giveUpPull);
    if (!(await this.allJobsDone(graceMs))) {
      settings.logger.warn(`still running after ${graceMs} ms: cancelling ${this.runningJobIds.join(', ')}`);
      for (const { run } of this.runs.values()) run.cancel({ by: settings.workerName, reason: SHUTDOWN_CANCEL_REASON });
      if (!(await this.allJobsDone(settings.shutdownReportMs))) {
        settings.logger.error(`jobs ${this.runningJobIds.join(', ')} could not report in time; the queue monitor will deal with them`);
        this.giveUp.abort();
        await Promise.all([...this.runs.values()].map((r) => r.task));
      }
    }
    this.pingAbort.abort();
    await this.pingLoop;
    this.loopState = 'stopped';
  }

  private async runMainLoop(): Promise<void> {
    const { settings } = this;
    const backoff = new Backoff(settings.minBackoffMs, settings.maxBackoffMs);
    const signal = this.pullAbort.signal;
    while (!signal.aborted) {
      // Every slot busy: prefetch the next job if allowed, else wait for a slot as always.
      const prefetch = this.mayPrefetch();
      if (!prefetch) {
        await this.freeSlot();
        if (signal.aborted) return;
      }
      let job: WorkerJob | null | typeof ABORTED;
      try {
        job = await this.pullOnce(signal, prefetch);
        backoff.reset();
      } catch (err) {
        if (signal.aborted) return;
        if (isJobSourceError(err, JobSourceErrorCode.Fatal)) {
          this.fatal(err);
          return;
        }
        settings.logger.warn(`could not pull a job (will retry): ${describeError(err)}`);
        await this.clock.sleep(backoff.next(), signal);
        continue;
      }
      if (job === ABORTED) return;
      if (!job) {
        if (settings.emptyPullDelayMs > 0) await this.clock.sleep(settings.emptyPullDelayMs, signal);
      } else if (prefetch) {
        // A slot may have freed while the prefetch was open: then the job starts now.
        await this.holdThenStart(job);
      } else {
        // A job claimed just as the worker began stopping still runs: stop() drains it.
        this.startJob(job);
      }
    }
  }

  /** One pull, counted for the ping loop: with some sources a pull stands in for a ping. */
  private async pullOnce(signal: AbortSignal, prefetch: boolean): Promise<WorkerJob | null | typeof ABORTED> {
    this.pullsStarted++;
    this.pullInFlight = true;
    try {
      const pull = prefetch ? this.source.pull(signal, { prefetch: true }) : this.source.pull(signal);
      return await untilAborted(pull, this.pullGiveUp.signal);
    } finally {
      this.pullInFlight = false;
    }
  }

  /** True when the next pull is a prefetch: prefetch is on, allowed, and every slot is busy. */
  private mayPrefetch(): boolean {
    return this.prefetching && !this.prefetchPaused && this.executing.size >= this.settings.concurrency;
  }

  /**
   * A prefetched job: held (not started) until a slot frees, then started. Released instead
   * if no slot frees within `prefetchHoldMs` (prefetch then pauses until one does), or if the
   * worker stops. A release that fails keeps the job held until a slot frees: its claim may
   * still be good (if not, its report is refused as stale).
   */
  private async holdThenStart(job: WorkerJob): Promise<void> {
    const signal = this.pullAbort.signal;
    const timeUp = new AbortController();
    const timer = this.clock.after(this.settings.prefetchHoldMs, () => {
      timeUp.abort();
      this.wakeSlotWaiter();
    });
    try {
      await this.freeSlot(timeUp.signal);
    } finally {
      this.clock.clear(timer);
    }
    if (signal.aborted) {
      await this.releaseOnStop(job);
      return;
    }
    if (this.executing.size < this.settings.concurrency) {
      this.startJob(job);
      return;
    }

    // Paused before the release is sent: a slot freeing meanwhile lifts the pause.
    this.prefetchPaused = true;
    try {
      const released = await untilAborted(this.giveBack(job), this.pullGiveUp.signal);
      if (released !== ABORTED) this.settings.logger.log(`job ${job.id}: released unstarted (no slot freed within ${this.settings.prefetchHoldMs} ms)`);
      return;
    } catch (err) {
      if (isJobSourceError(err, JobSourceErrorCode.Fatal)) {
        this.fatal(err);
        return;
      }
      if (isJobSourceError(err, JobSourceErrorCode.ClaimLost)) {
        this.settings.logger.warn(`job ${job.id}: not running this prefetched job, its claim is gone (${err.message})`);
        return;
      }
      this.settings.logger.warn(`job ${job.id}: could not release this prefetched job (${describeError(err)}); it runs when a slot frees`);
    }
    await this.freeSlot();
    if (signal.aborted) await this.releaseOnStop(job);
    else this.startJob(job);
  }

  /** The source's `release` (prefetching, the only caller, needs a source that has one). */
  private giveBack(job: WorkerJob): Promise<void> {
    return this.source.release ? this.source.release(job) : Promise.resolve();
  }

  /** The worker is stopping with a job it prefetched but never started: give it back. */
  private async releaseOnStop(job: WorkerJob): Promise<void> {
    const { logger } = this.settings;
    try {
      const released = await untilAborted(this.giveBack(job), this.pullGiveUp.signal);
      if (released === ABORTED) logger.warn(`job ${job.id}: stopping; gave up releasing this prefetched job (the queue monitor will requeue it)`);
      else logger.log(`job ${job.id}: stopping; released this prefetched job unstarted`);
    } catch (err) {
      if (isJobSourceError(err, JobSourceErrorCode.ClaimLost)) logger.log(`job ${job.id}: stopping; this prefetched job's claim is already gone`);
      else logger.warn(`job ${job.id}: stopping; could not release this prefetched job (${describeError(err)}); the queue monitor will requeue it`);
    }
  }

  private startJob(job: WorkerJob): void {
    const run = new JobRun(job, {
      source: this.source,
      executor: this.executor,
      settings: this.settings,
      clock: this.clock,
      giveUp: this.giveUp.signal,
      onFatal: (err) => this.fatal(err),
      onExecuted: () => this.releaseSlot(job.id),
    });
    this.executing.add(job.id);
    // The process starts on the event loop's next turn, not in this one: the pull (prefetch)
    // and the previous job's report that the loop sends now leave first, and the server
    // answers them while the fork blocks this thread (~2 ms for a 100 MB worker). Started in
    // this turn, the fork went first and the next job came back after this one had ended.
    const task = nextTurn()
      .then(() => run.run())
      .catch((err: unknown) => this.settings.logger.error(`job ${job.id}: ${describeError(err)}`))
      .finally(() => {
        this.releaseSlot(job.id);
        this.runs.delete(job.id);
        this.executed++;
        this.finishedBusyMs += this.clock.monotonicMs() - run.startedMs;
        this.wakeSlotWaiter();
      });
    this.runs.set(job.id, { run, task });
    // Throttled: a busy worker would otherwise ping once per job.
    if (this.clock.monotonicMs() - this.lastPingStartedMs >= this.settings.minJobPingGapMs) void this.sendPing('job');
  }

  private releaseSlot(jobId: string): void {
    if (this.executing.delete(jobId)) {
      this.prefetchPaused = false;
      this.wakeSlotWaiter();
    }
  }

  /**
   * Resolves once fewer than `concurrency` job processes run (re-checked on every wake), or
   * the loop is stopping, or `until` aborts (whoever aborts it must wake the waiter).
   */
  private async freeSlot(until?: AbortSignal): Promise<void> {
    while (this.executing.size >= this.settings.concurrency && !this.pullAbort.signal.aborted && !until?.aborted) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }

  private wakeSlotWaiter(): void {
    const wake = this.slotFreed;
    this.slotFreed = null;
    wake?.();
  }

  /** True when every job finished within `ms`. */
  private async allJobsDone(ms: number): Promise<boolean> {
    if (this.runs.size === 0) return true;
    const timeUp = new AbortController();
    const timer = this.clock.after(ms, () => timeUp.abort());
    try {
      // Jobs pulled meanwhile are impossible (pulling has stopped), so one snapshot suffices.
      const all = Promise.all([...this.runs.values()].map((r) => r.task));
      return (await untilAborted(all, timeUp.signal)) !== ABORTED;
    } finally {
      this.clock.clear(timer);
    }
  }

  private async runPingLoop(): Promise<void> {
    const signal = this.pingAbort.signal;
    await this.sendPing('initial');
    while (!signal.aborted) {
      await this.clock.sleep(this.settings.pingIntervalMs, signal);
      if (signal.aborted) return;
      if (this.pullStandsInForPing()) continue;
      await this.sendPing('main_loop');
    }
  }

  /**
   * True when the source counts pulls as pings and a pull is open now or was started since
   * the last ping the source accepted — unless that ping is `fullPingIntervalMs` old (or none
   * was accepted yet): then a real one is due.
   */
  private pullStandsInForPing(): boolean {
    const last = this.accepted;
    if (!this.source.pullRefreshesPing || !last) return false;
    if (this.clock.monotonicMs() - last.atMs >= this.settings.fullPingIntervalMs) return false;
    return this.pullInFlight || this.pullsStarted > last.pulls;
  }

  /** Never rejects: a failed ping is only logged (the next one comes soon). */
  private async sendPing(pingType: PingType): Promise<void> {
    const { settings } = this;
    const now = this.clock.monotonicMs();
    const busyMs = this.busyMsUntil(now);
    const pulls = this.pullsStarted;
    this.lastPingStartedMs = now;
    try {
      const ping = {
        pingType,
        version: settings.version,
        workerInstance: settings.workerInstance,
        ip: settings.ip,
        memoryBytes: settings.memoryBytes(),
        currentJobId: this.runs.keys().next().value ?? null,
        jobsExecuted: this.executed,
        occupancy: this.occupancySinceLastPing(now, busyMs),
      };
      const sent = await untilAborted(this.source.ping(ping), this.giveUp.signal);
      if (sent !== ABORTED) this.pingAccepted(now, busyMs, pulls);
    } catch (err) {
      if (isJobSourceError(err, JobSourceErrorCode.Fatal)) this.fatal(err);
      else settings.logger.warn(`ping failed: ${describeError(err)}`);
    }
  }

  /** Slot time spent running jobs since start, up to `now`. */
  private busyMsUntil(now: number): number {
    let busy = this.finishedBusyMs;
    for (const { run } of this.runs.values()) busy += now - run.startedMs;
    return busy;
  }

  /** Share of slot time busy since the last accepted ping, 0..1. */
  private occupancySinceLastPing(now: number, busyMs: number): number {
    const since = this.accepted ?? { atMs: this.startedMs, busyMs: 0 };
    const elapsed = now - since.atMs;
    const share = elapsed > 0 ? (busyMs - since.busyMs) / (elapsed * this.settings.concurrency) : 0;
    return Math.min(1, Math.max(0, share));
  }

  /** The source took a ping measured at `atMs`. Pings may overlap (a job ping during a main_loop one): the latest wins. */
  private pingAccepted(atMs: number, busyMs: number, pulls: number): void {
    if (this.accepted && atMs < this.accepted.atMs) return;
    this.accepted = { atMs, busyMs, pulls };
  }

  private fatal(err: Error): void {
    if (this.stopping) return;
    this.settings.logger.error(`cannot continue: ${err.message}`);
    this.settings.onFatal(err);
    void this.stop(0);
  }
}
