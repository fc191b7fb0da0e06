/** How hard to try a call that fails transiently (network error, 5xx, 429). */
export interface RetryPolicy {
  /** Retries after the first attempt; `Infinity` never gives up (finished jobs' logs and results). */
  retries: number;
  /** First delay; doubles per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 8, baseDelayMs: 200, maxDelayMs: 10_000 };
export const RETRY_FOREVER: RetryPolicy = { retries: Infinity, baseDelayMs: 200, maxDelayMs: 15_000 };

/**
 * Exponential backoff with "equal jitter": half the capped delay is fixed, half random, so
 * thousands of agents that lost the broker at once do not come back in lockstep. A server's
 * `Retry-After` (seconds) is honoured when it asks for longer.
 */
export function backoffDelay(policy: RetryPolicy, retryNumber: number, retryAfterS?: number, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jittered = capped / 2 + (random() * capped) / 2;
  const asked = retryAfterS !== undefined && Number.isFinite(retryAfterS) ? retryAfterS * 1000 : 0;
  return Math.max(jittered, Math.min(asked, policy.maxDelayMs));
}
