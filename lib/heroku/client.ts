// createHerokuClient: the typed Heroku operations plus the raw `send`, over one transport with
// retries, rate-limit pauses and per-attempt audit records. Configuration comes from the caller.
import { type ApiOptions, type HerokuApi, herokuApi } from "./api";
import type { HerokuCall } from "./commands";
import { type HerokuRequest, type HerokuRequestRecord, type HerokuResponse, createTransport } from "./transport";
import { type Sleep, defaultSleep } from "./wait";

export interface HerokuClientOptions {
  /** Platform API, e.g. https://api.heroku.com or the emulator's URL. */
  baseUrl: string;
  /** Heroku Postgres data API; default api.data.heroku.com for api.heroku.com, else baseUrl (the emulator serves both). */
  dataBaseUrl?: string;
  token: string;
  /** One record per attempt, for the audit trail. Awaited; if it throws, the operation fails (fail-closed). */
  onRequest?: (record: HerokuRequestRecord) => void | Promise<void>;
  /** Announced before each operation's first request, for the `$ heroku …` log line. */
  onCall?: (call: HerokuCall) => void | Promise<void>;
  /** Attempts per request, including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt, covering the whole answer (headers and body). */
  timeoutMs?: number;
  sleep?: Sleep;
  signal?: AbortSignal;
  pageSize?: ApiOptions["pageSize"];
}

export interface HerokuClient extends HerokuApi {
  /** Any other request, with the same headers, retries and records. Errors for non-2xx answers. */
  send(req: HerokuRequest): Promise<HerokuResponse>;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function dataApiUrl(baseUrl: string): string {
  return new URL(baseUrl).hostname === "api.heroku.com" ? "https://api.data.heroku.com" : baseUrl;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`createHerokuClient: ${name} must be a positive number, got ${value}`);
  return value;
}

export function createHerokuClient(opts: HerokuClientOptions): HerokuClient {
  const baseUrl = withoutTrailingSlash(opts.baseUrl);
  const transport = createTransport({
    baseUrl,
    dataBaseUrl: withoutTrailingSlash(opts.dataBaseUrl ?? dataApiUrl(baseUrl)),
    token: opts.token,
    maxAttempts: Math.floor(positive("maxAttempts", opts.maxAttempts ?? 6)),
    baseDelayMs: positive("baseDelayMs", opts.baseDelayMs ?? 500),
    maxDelayMs: positive("maxDelayMs", opts.maxDelayMs ?? 15_000),
    timeoutMs: positive("timeoutMs", opts.timeoutMs ?? 30_000),
    sleep: opts.sleep ?? defaultSleep(opts.signal),
    signal: opts.signal,
    onRequest: opts.onRequest,
  });
  return { ...herokuApi(transport, { pageSize: opts.pageSize, onCall: opts.onCall }), send: transport.send };
}

export type { HerokuRequest, HerokuRequestRecord, HerokuResponse } from "./transport";
