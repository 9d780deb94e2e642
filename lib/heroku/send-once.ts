// One HTTP attempt against Heroku: fetch with a per-attempt timeout, read and JSON-parse the
// body. It never throws for HTTP or network failures; it reports them so the caller can retry.
import type { HttpMethod } from "./retry-policy";

export interface AttemptRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
}

export type AttemptOutcome =
  | { kind: "response"; status: number; headers: Headers; body: unknown; requestId: string | null }
  | { kind: "network"; reason: string; code: string | null; timedOut: boolean; cause: unknown };

function isJsonType(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

/** fetch wraps socket errors: TypeError("fetch failed") → cause { code, message }. */
function socketFailure(error: unknown): { reason: string; code: string | null } {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const code = typeof cause?.code === "string" ? cause.code : null;
  const reason = typeof cause?.message === "string" && cause.message ? cause.message : (error as Error)?.message ?? String(error);
  return { reason, code };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === "" || !isJsonType(res.headers.get("content-type"))) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Rethrows when `signal` (the caller's) aborted: cancellation is not a failure to retry. */
export async function sendOnce(req: AttemptRequest, timeoutMs: number, signal?: AbortSignal): Promise<AttemptOutcome> {
  signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: combined, redirect: "follow" });
    const body = await readBody(res);
    return { kind: "response", status: res.status, headers: res.headers, body, requestId: res.headers.get("request-id") };
  } catch (error) {
    signal?.throwIfAborted();
    if (timeout.aborted) {
      return { kind: "network", reason: `did not answer within ${timeoutMs} ms`, code: "ETIMEDOUT", timedOut: true, cause: error };
    }
    return { kind: "network", ...socketFailure(error), timedOut: false, cause: error };
  }
}
