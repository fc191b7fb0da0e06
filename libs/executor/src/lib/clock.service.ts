/** A timer returned by `Clock`; only `Clock.clear` needs to understand it. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Time as the executor and the worker loop see it, behind a class so a test or a simulation
 * can replace it. Timers are unref'd: a pending timer never keeps a process alive by itself.
 */
export class Clock {
  /** Milliseconds on a monotonic scale, for durations (never goes back with NTP). */
  monotonicMs(): number {
    return performance.now();
  }

  now(): Date {
    return new Date();
  }

  after(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  }

  every(ms: number, fn: () => void): TimerHandle {
    const t = setInterval(fn, ms);
    t.unref();
    return t;
  }

  clear(timer: TimerHandle | undefined): void {
    if (timer !== undefined) clearTimeout(timer);
  }

  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
