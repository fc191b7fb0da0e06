import { backoffDelay } from './retry-policy';

const policy = { retries: 10, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('doubles per retry with half of it random', () => {
    expect([1, 2, 3].map((n) => backoffDelay(policy, n, undefined, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffDelay(policy, n, undefined, () => 1))).toEqual([100, 200, 400]);
  });

  it('is capped', () => {
    expect(backoffDelay(policy, 30, undefined, () => 1)).toBe(1000);
  });

  it('honours a longer Retry-After, within the cap', () => {
    expect(backoffDelay(policy, 1, 0.5, () => 0)).toBe(500);
    expect(backoffDelay(policy, 1, 60, () => 0)).toBe(1000);
  });
});
