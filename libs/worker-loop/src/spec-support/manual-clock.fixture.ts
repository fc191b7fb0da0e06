import { Clock, type TimerHandle } from '@millrace/executor';

interface Timer {
  id: number;
  dueMs: number;
  fn: () => void;
}

/**
 * A clock that moves only when the test says so. `advance` fires the timers that fall due in
 * order, letting the code each one wakes run (to its next wait) before firing the next, so
 * a loop that sleeps again after waking sees every tick. A timer due now fires on its own.
 */
export class ManualClock extends Clock {
  private nowMs = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  override monotonicMs(): number {
    return this.nowMs;
  }

  override after(ms: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, ms), fn };
    this.timers.set(timer.id, timer);
    if (ms <= 0) setImmediate(() => this.fire(timer));
    return timer.id as unknown as TimerHandle;
  }

  override every(): TimerHandle {
    throw new Error('ManualClock.every is not implemented');
  }

  override clear(timer: TimerHandle | undefined): void {
    if (timer !== undefined) this.timers.delete(timer as unknown as number);
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.clear(handle);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.after(ms, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing due timers one at a time (earliest first). */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      const next = [...this.timers.values()].filter((t) => t.dueMs <= target).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!next) break;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      this.fire(next);
      await settle();
    }
    this.nowMs = target;
    await settle();
  }

  private fire(timer: Timer): void {
    if (!this.timers.delete(timer.id)) return;
    timer.fn();
  }
}

/** Lets every promise chain that is ready run to its next real wait. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
