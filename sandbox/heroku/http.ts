// A tiny router and the request/response plumbing shared by all routes: JSON bodies with a
// size limit, `{id,message}` errors, Request-Id handling and bearer/basic auth.
import { randomUUID, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { ApiError, badRequest, invalidParams } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Raw bytes instead of JSON (the backup download). */
  raw?: { contentType: string; data: Buffer };
  /** Text written as it is produced (a tailing log session); the signal aborts when the client goes away. */
  stream?: { contentType: string; chunks(signal: AbortSignal): AsyncIterable<string> };
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** `route("GET", "/apps/:app", h)`: `:name` matches one path segment. */
export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  return { method, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export function matchRoute(routes: Route[], method: string, path: string) {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    try {
      const params = Object.fromEntries(candidate.keys.map((k, i) => [k, decodeURIComponent(match[i + 1])]));
      return { route: candidate, params };
    } catch {
      throw badRequest(`Malformed percent-encoding in path ${path}.`);
    }
  }
  return undefined;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return { status, body, headers };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Keeps reading past the limit (discarding) so the client sees the 413 instead of a reset. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch (error) {
    // The client went away mid-upload; nobody will read this answer, but it is not our bug.
    throw badRequest(`Request body could not be read: ${(error as Error).message}`);
  }
  if (size > MAX_BODY_BYTES) {
    throw new ApiError(413, "request_too_large", `Request body is ${size} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MB).`);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`Request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates a body against a schema; failures are 422 naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.join(".") : "body";
  throw invalidParams(`Invalid request: ${where}: ${issue.message}`);
}

/** The CLI sends a fresh id followed by every earlier one; we echo the first if it looks sane. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const first = (header(headers, "request-id") ?? "").split(",")[0].trim();
  return /^[\w-]{1,128}$/.test(first) ? first : randomUUID();
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Bearer <token>`, or `Basic base64(":" + token)` as pg:copy's credentials call sends. */
export function isAuthorized(headers: IncomingHttpHeaders, token: string): boolean {
  const value = header(headers, "authorization") ?? "";
  const [scheme, credential = ""] = value.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return sameSecret(credential, token);
  if (!/^basic$/i.test(scheme)) return false;
  const decoded = Buffer.from(credential, "base64").toString("utf8");
  return sameSecret(decoded.slice(decoded.indexOf(":") + 1), token);
}

/** Headers go out at once so a tailing client sees 200 before the first line; writes wait for a slow reader. */
async function pump(res: ServerResponse, status: number, stream: NonNullable<ApiResponse["stream"]>): Promise<void> {
  const gone = new AbortController();
  res.once("close", () => gone.abort());
  res.writeHead(status, { "Content-Type": stream.contentType, "Cache-Control": "no-store" });
  res.flushHeaders();
  try {
    for await (const chunk of stream.chunks(gone.signal)) {
      if (!res.write(chunk)) await once(res, "drain", { signal: gone.signal });
    }
  } catch (error) {
    if (!gone.signal.aborted) console.error(`[heroku-emulator] stream failed: ${(error as Error)?.message ?? String(error)}`);
  } finally {
    res.end();
  }
}

export function send(res: ServerResponse, response: ApiResponse): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.stream) {
    void pump(res, response.status, response.stream);
    return;
  }
  if (response.raw) {
    res.writeHead(response.status, { "Content-Type": response.raw.contentType });
    res.end(response.raw.data);
    return;
  }
  res.writeHead(response.status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(response.body));
}
