// When to retry a Heroku request and how long to wait. Pure functions, so the policy can be
// read (and tested) apart from the HTTP plumbing.

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

// Failures that happen before a single byte reaches Heroku: even a POST is safe to resend.
const NOTHING_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

// A Retry-After beyond this is treated as a misconfigured server rather than obeyed.
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export function isNothingSentCode(code: string | null): boolean {
  return code !== null && NOTHING_SENT_CODES.has(code);
}

/**
 * 429 is always retried (Heroku refused before doing anything). 5xx and lost connections are
 * retried except for POST: a POST that reached Heroku may have been applied (a second attach).
 */
export function isRetryableStatus(method: HttpMethod, status: number): boolean {
  if (status === 429) return true;
  return method !== "POST" && RETRYABLE_STATUSES.has(status);
}

export function isRetryableNetworkFailure(method: HttpMethod, code: string | null): boolean {
  return method !== "POST" || isNothingSentCode(code);
}

/** Exponential backoff with "equal jitter": half the ceiling fixed, half random, never above max. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

export function isRateLimitExhausted(headers: Headers): boolean {
  return headers.get("ratelimit-remaining")?.trim() === "0";
}
