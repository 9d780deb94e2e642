// Heroku's budget is per account: when an answer says `RateLimit-Remaining: 0`, the next request
// from this client waits (Retry-After, else a short pause) even though this one succeeded.
import { isRateLimitExhausted, retryAfterMs } from "./retry-policy";
import { type Sleep, waitOrAbort } from "./wait";

// The budget refills at roughly one request per second (4500 per hour).
const DEFAULT_PAUSE_MS = 1000;

export function createRateLimitGate(sleep: Sleep, signal?: AbortSignal) {
  let until = 0;
  return {
    note(headers: Headers): void {
      if (!isRateLimitExhausted(headers)) return;
      until = Math.max(until, Date.now() + (retryAfterMs(headers) ?? DEFAULT_PAUSE_MS));
    },
    remainingMs(): number {
      return Math.max(0, until - Date.now());
    },
    /** Waits at least `minMs` and until the pause is over; concurrent callers share one pause. */
    async wait(minMs = 0): Promise<void> {
      const target = until;
      const ms = Math.max(minMs, target - Date.now());
      if (ms > 0) await waitOrAbort(sleep, ms, signal);
      if (until === target) until = 0;
    },
  };
}
