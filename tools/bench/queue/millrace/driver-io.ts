// The driver protocol of ../lib/driver-io.mjs, for the TypeScript driver: spec in as one JSON
// argument, result out as one marked stdout line, plus the paced pusher and latency book.
import { performance } from 'node:perf_hooks';

export interface DriverSpec {
  mode: 'drain' | 'latency' | 'explain';
  url: string;
  jobs: number;
  consumers: number;
  /** Claim limit: 1 = claim 1 + complete 1; more = claim a batch + completeMany. */
  batch: number;
  /** Jobs per pushMany call during the bulk enqueue. */
  chunk: number;
  analyze: boolean;
  /** A drain stops claiming after this long; its rate then counts what it completed. */
  maxDrainSeconds: number;
  /** Latency probe: every idle claimer per notification (separate workers), or one. */
  wakeAll: boolean;
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

export function readSpec(): DriverSpec {
  const raw = process.argv[2];
  if (!raw) throw new Error('driver needs its spec as a JSON argument');
  return JSON.parse(raw) as DriverSpec;
}

export function emitResult(result: object): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const now = (): number => performance.now();

/** Calls `pushOne(i)` at a steady rate, one at a time (an overrun delays, never bursts). */
export async function paced(rate: number, seconds: number, pushOne: (i: number) => Promise<unknown>): Promise<number> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const start = now();
  for (let i = 0; i < total; i++) {
    const wait = start + i * interval - now();
    if (wait > 1) await sleep(wait);
    await pushOne(i);
  }
  return total;
}

/** Push start times by job id, and the push -> claim samples taken when jobs show up. */
export class LatencyBook {
  private readonly started = new Map<string, number>();
  private readonly samples: number[] = [];
  private waiter: (() => void) | null = null;

  sent(key: string): void {
    this.started.set(key, now());
  }

  seen(key: string): void {
    const t0 = this.started.get(key);
    if (t0 === undefined) return;
    this.samples.push(now() - t0);
    this.started.delete(key);
    if (this.started.size === 0) this.waiter?.();
  }

  async settled(timeoutMs: number): Promise<{ samplesMs: number[]; missed: number }> {
    if (this.started.size > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.waiter = resolve)), sleep(timeoutMs)]);
    }
    return { samplesMs: this.samples, missed: this.started.size };
  }
}
