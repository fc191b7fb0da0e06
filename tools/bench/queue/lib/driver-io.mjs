// What every benchmark driver (one child process per measured unit) shares: how it gets its
// spec, how it hands back its result, and the paced pusher the latency probes use.
// The Millrace driver is TypeScript and mirrors this protocol in millrace/driver-io.ts.
import { performance } from 'node:perf_hooks';

/** The orchestrator passes the unit's spec as one JSON argument. */
export function readSpec() {
  const raw = process.argv[2];
  if (!raw) throw new Error('driver needs its spec as a JSON argument');
  return JSON.parse(raw);
}

/** Libraries may print to stdout, so the result line carries a marker the parent looks for. */
export function emitResult(result) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export function log(...parts) {
  process.stderr.write(`${parts.join(' ')}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const now = () => performance.now();

/** The trivial job every system runs: same payload size wherever the system allows it. */
export const BENCH_PAYLOAD = Object.freeze({ language: 'bash', content: 'true', args: {} });

/** Splits 0..n-1 into [from, to) ranges of at most `size`. */
export function* ranges(n, size) {
  for (let from = 0; from < n; from += size) yield [from, Math.min(n, from + size)];
}

/**
 * Calls `pushOne(i)` at a steady `rate` per second for `seconds`, one at a time: a push that
 * overruns its slot delays the next instead of piling up concurrent pushes, so the probe
 * never turns into a burst.
 */
export async function paced({ rate, seconds }, pushOne) {
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

/**
 * Latency probe bookkeeping: `sent(key)` when a push starts, `seen(key)` when the consumer
 * gets the job; `settled(timeoutMs)` resolves once every sent job was seen (or on timeout).
 */
export function latencyBook() {
  const started = new Map();
  const samples = [];
  let waiter = null;
  const check = () => {
    if (waiter && started.size === 0) waiter();
  };
  return {
    sent(key) {
      started.set(key, now());
    },
    seen(key) {
      const t0 = started.get(key);
      if (t0 === undefined) return;
      samples.push(now() - t0);
      started.delete(key);
      check();
    },
    async settled(timeoutMs) {
      if (started.size > 0) {
        await Promise.race([new Promise((resolve) => (waiter = resolve)), sleep(timeoutMs)]);
      }
      return { samplesMs: samples, missed: started.size };
    },
  };
}
