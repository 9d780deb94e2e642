/** How the worker retries a delivery a receiver did not accept. */
export interface RetryPolicy {
  /** Attempts in all, the first included; the last failure marks the delivery failed. */
  maxAttempts: number;
  /** The wait after the first failure; each further one doubles it. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
  /** ± this fraction of randomness, so many deliveries failing together do not retry in step. */
  jitter: number;
}

/** 8 attempts over about 10 minutes: 5 s, 10 s, 20 s … between them. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 5_000, capMs: 5 * 60_000, jitter: 0.2 };

/**
 * The wait before the next attempt after `attempts` failed ones (1 after the first failure):
 * exponential, capped, with jitter; null when no attempt is left.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const factor = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(exponential * factor));
}
