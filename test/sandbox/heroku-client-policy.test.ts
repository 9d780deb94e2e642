// lib/heroku's retry policy as pure functions: which answers are retried per method, the
// backoff bounds and how Retry-After is read.
import { describe, expect, it } from "vitest";
import { backoffDelayMs, isRetryableNetworkFailure, isRetryableStatus, retryAfterMs } from "@/lib/heroku/retry-policy";

describe("retry policy", () => {
  it("retries 429 always, 5xx except for POST, 4xx never", () => {
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      expect([429, 500, 502, 503, 504].every((s) => isRetryableStatus(method, s))).toBe(true);
    }
    expect(isRetryableStatus("POST", 429)).toBe(true);
    expect([500, 502, 503, 504].some((s) => isRetryableStatus("POST", s))).toBe(false);
    expect([400, 401, 403, 404, 409, 422, 501].some((s) => isRetryableStatus("GET", s))).toBe(false);
  });

  it("retries a POST's network failure only when nothing was sent", () => {
    expect(isRetryableNetworkFailure("POST", "ECONNREFUSED")).toBe(true);
    expect(isRetryableNetworkFailure("POST", "ENOTFOUND")).toBe(true);
    expect(isRetryableNetworkFailure("POST", "UND_ERR_SOCKET")).toBe(false);
    expect(isRetryableNetworkFailure("POST", "ETIMEDOUT")).toBe(false);
    expect(isRetryableNetworkFailure("POST", null)).toBe(false);
    expect(isRetryableNetworkFailure("GET", "UND_ERR_SOCKET")).toBe(true);
  });

  it("doubles the backoff ceiling per attempt, jitters the upper half, caps at max", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, 500, 15_000, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, 500, 15_000, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(20, 500, 15_000, () => 1)).toBe(15_000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "Retry-After": "2" }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ "Retry-After": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ "Retry-After": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ "Retry-After": "999999" }), now)).toBe(600_000);
  });
});
