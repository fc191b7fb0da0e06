import type { Clock } from '@millrace/executor';

/** Exponential backoff with full jitter, so many workers do not retry in lockstep. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return this.minMs / 2 + Math.random() * (ceiling - this.minMs / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

export type RetryVerdict = 'retry' | 'stop';

/**
 * Calls `fn` until it succeeds, `classify` says stop, or `signal` aborts. Returns true on
 * success. Used for reports that must not be lost to a transient failure.
 */
export async function retryUntil(
  fn: () => Promise<void>,
  options: { clock: Clock; backoff: Backoff; signal: AbortSignal; classify: (err: unknown) => RetryVerdict },
): Promise<boolean> {
  for (;;) {
    if (options.signal.aborted) return false;
    try {
      const outcome = await untilAborted(fn(), options.signal);
      if (outcome === ABORTED) return false;
      options.backoff.reset();
      return true;
    } catch (err) {
      if (options.classify(err) === 'stop') return false;
      await options.clock.sleep(options.backoff.next(), options.signal);
    }
  }
}

export const ABORTED = Symbol('aborted');

/**
 * Settles with `promise`, or with ABORTED as soon as `signal` aborts: a transport call that
 * hangs cannot hold up a stopping worker. A late rejection of `promise` is swallowed.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise<T | typeof ABORTED>((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
