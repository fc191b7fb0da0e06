import { readFileSync } from 'node:fs';

type Settled<T> = Exclude<T, undefined | null | false>;

/**
 * Polls `probe` until it returns something other than `undefined`, `null` or `false`, and
 * returns that. A bounded safety net for asynchronous outcomes, never a timing claim: the
 * test fails, naming `what`, only when nothing happened within `timeoutMs`.
 */
export async function eventually<T>(probe: () => T | Promise<T>, what = 'the condition', timeoutMs = 30_000, everyMs = 25): Promise<Settled<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as Settled<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True while `pid` is a live process (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
