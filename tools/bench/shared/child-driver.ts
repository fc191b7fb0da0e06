import { performance } from 'node:perf_hooks';

/**
 * What the benchmarks' TypeScript child drivers share: a clock comparable across processes
 * and the request/reply loop over the IPC channel of `child_process.fork`.
 */
export const epochNow = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers each `{seq, cmd}` message with `{seq, ok, result|error}`; `exit` also disconnects. */
export function serveCommands<C extends { seq: number; cmd: string }>(handle: (c: C) => Promise<object>): void {
  process.on('message', (raw: unknown) => {
    const c = raw as C;
    handle(c).then(
      (result) => {
        process.send?.({ seq: c.seq, ok: true, result });
        if (c.cmd === 'exit') process.disconnect();
      },
      (e: unknown) => process.send?.({ seq: c.seq, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
}
