// Sends one logical request with retries, rate-limit pauses and one audit record per attempt.
// Records carry method, path, status and timing only: no token, no bodies, no config values.
import { randomUUID } from "node:crypto";
import { redact } from "@/lib/security/redact";
import { HerokuApiError, HerokuNetworkError } from "./errors";
import { createRateLimitGate } from "./rate-limit-gate";
import { type HttpMethod, backoffDelayMs, isRetryableNetworkFailure, isRetryableStatus, retryAfterMs } from "./retry-policy";
import { type AttemptOutcome, sendOnce } from "./send-once";
import type { Sleep } from "./wait";

export interface HerokuRequestRecord {
  method: string;
  path: string;
  status: number | null;
  /** The server's Request-Id header (null when no answer came). */
  requestId: string | null;
  attempt: number;
  durationMs: number;
  error?: string;
  retryInMs?: number;
}

export interface TransportOptions {
  baseUrl: string;
  dataBaseUrl: string;
  token: string;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  sleep: Sleep;
  signal?: AbortSignal;
  onRequest?: (record: HerokuRequestRecord) => void | Promise<void>;
}

export interface HerokuRequest {
  method: HttpMethod;
  path: string;
  /** "data" = the Heroku Postgres data API host (api.data.heroku.com). */
  host?: "platform" | "data";
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HerokuResponse {
  status: number;
  headers: Headers;
  body: unknown;
  requestId: string | null;
}

function errorOfBody(body: unknown, status: number): { id: string | null; message: string } {
  const b = (body && typeof body === "object" ? body : {}) as { id?: unknown; message?: unknown };
  const id = typeof b.id === "string" ? b.id : null;
  if (typeof b.message === "string") return { id, message: b.message };
  const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 200) : `HTTP ${status}`;
  return { id, message: text };
}

function failureOf(req: HerokuRequest, outcome: AttemptOutcome, attempt: number, token: string): HerokuApiError | HerokuNetworkError {
  if (outcome.kind === "network") {
    return new HerokuNetworkError(req.method, req.path, outcome.reason, outcome.code, outcome.timedOut, attempt, { cause: outcome.cause });
  }
  const { id, message } = errorOfBody(outcome.body, outcome.status);
  // Heroku's messages name vars, not values; redaction guards against a proxy echoing secrets.
  return new HerokuApiError(outcome.status, id, redact(message, [token]), outcome.requestId, req.method, req.path, attempt);
}

/** Short form for the audit record: status, id and Heroku's message, or the socket failure. */
function recordError(failure: HerokuApiError | HerokuNetworkError): string {
  if (failure instanceof HerokuNetworkError) {
    return failure.code && !failure.reason.includes(failure.code) ? `${failure.reason} (${failure.code})` : failure.reason;
  }
  return `${failure.status}${failure.id ? ` ${failure.id}` : ""}: ${failure.herokuMessage}`;
}

export function createTransport(opts: TransportOptions) {
  const gate = createRateLimitGate(opts.sleep, opts.signal);

  function attemptRequest(req: HerokuRequest): Promise<AttemptOutcome> {
    const headers: Record<string, string> = {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${opts.token}`,
      "Request-Id": randomUUID(),
      "User-Agent": "switchyard",
      ...req.headers,
    };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const url = `${req.host === "data" ? opts.dataBaseUrl : opts.baseUrl}${req.path}`;
    return sendOnce({ url, method: req.method, headers, body }, opts.timeoutMs, opts.signal);
  }

  /** The delay before the next attempt, or undefined when this outcome is final. */
  function retryDelay(req: HerokuRequest, outcome: AttemptOutcome, attempt: number): number | undefined {
    if (attempt >= opts.maxAttempts) return undefined;
    if (outcome.kind === "response") {
      if (outcome.status < 400 || !isRetryableStatus(req.method, outcome.status)) return undefined;
      return retryAfterMs(outcome.headers) ?? backoffDelayMs(attempt, opts.baseDelayMs, opts.maxDelayMs);
    }
    if (!isRetryableNetworkFailure(req.method, outcome.code)) return undefined;
    return backoffDelayMs(attempt, opts.baseDelayMs, opts.maxDelayMs);
  }

  async function send(req: HerokuRequest): Promise<HerokuResponse> {
    for (let attempt = 1; ; attempt++) {
      await gate.wait();
      opts.signal?.throwIfAborted();
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const outcome = await attemptRequest(req).catch(async (error: unknown) => {
        // Aborted in flight: Heroku may have applied it, so the audit trail still hears of it.
        await opts.onRequest?.({ method: req.method, path: req.path, status: null, requestId: null, attempt, durationMs: elapsed(), error: "aborted by the caller" });
        throw error;
      });
      const durationMs = elapsed();
      if (outcome.kind === "response") gate.note(outcome.headers);
      const response = outcome.kind === "response" ? outcome : undefined;
      const failure = response && response.status < 400 ? undefined : failureOf(req, outcome, attempt, opts.token);
      const delay = failure ? retryDelay(req, outcome, attempt) : undefined;
      // A retry's wait also covers the rate-limit pause this answer asked for.
      const retryInMs = delay === undefined ? undefined : Math.max(delay, gate.remainingMs());
      await opts.onRequest?.({
        method: req.method, path: req.path, status: response?.status ?? null, requestId: response?.requestId ?? null,
        attempt, durationMs,
        ...(failure ? { error: recordError(failure) } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (!failure && response) return { status: response.status, headers: response.headers, body: response.body, requestId: response.requestId };
      if (retryInMs === undefined) throw failure;
      await gate.wait(retryInMs);
    }
  }

  return { send };
}

export type Transport = ReturnType<typeof createTransport>;
