// One request's path through the emulator: Request-Id, faults, auth, body, route, save.
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError } from "./errors";
import type { FaultInjector } from "./faults";
import { type ApiResponse, type Route, isAuthorized, matchRoute, readJsonBody, requestIdOf, send } from "./http";
import { ADMIN_PREFIX } from "./routes-admin";
import { LOGS_PREFIX } from "./routes-log-sessions";

const SIGNED_PREFIXES = ["/__dumps/", LOGS_PREFIX];

export interface DispatchDeps {
  routes: Route[];
  apiToken: string;
  faults: FaultInjector;
  /** Persists state; called after every successful non-GET request. */
  afterMutation(): void;
}

const UNKNOWN_ENDPOINT =
  "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?";

const FAULT_ANSWERS: Record<number, [id: string, message: string]> = {
  400: ["bad_request", "Bad request (injected fault)."],
  401: ["unauthorized", "Invalid credentials provided."],
  402: ["payment_required", "Your account is delinquent (injected fault)."],
  403: ["forbidden", "You do not have access to this resource (injected fault)."],
  404: ["not_found", "Couldn't find that resource (injected fault)."],
  409: ["conflict", "The request conflicts with the app's state (injected fault)."],
  422: ["invalid_params", "Invalid parameters (injected fault)."],
  429: ["rate_limit", "Your account reached the API rate limit\nPlease wait a few minutes before making new requests"],
  500: ["internal_server_error", "Internal server error (injected fault)."],
  502: ["bad_gateway", "Bad gateway (injected fault)."],
  503: ["service_unavailable", "Service unavailable (injected fault)."],
  504: ["gateway_timeout", "Gateway timeout (injected fault)."],
};

function errorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiError) return { status: error.status, body: error.body() };
  console.error("[heroku-emulator] unexpected error:", error);
  return { status: 500, body: { id: "internal_server_error", message: `Emulator bug: ${(error as Error)?.message ?? String(error)}` } };
}

/** Returns false when the fault already dealt with the request (reset or error answer). */
async function applyFaults(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> {
  if (path.startsWith(ADMIN_PREFIX)) return true;
  const fault = deps.faults.decide(method, path);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.reset) {
    req.socket.destroy();
    return false;
  }
  if (!fault.status) return true;
  const headers: Record<string, string> = fault.status === 429 ? { "RateLimit-Remaining": "0", "Retry-After": "1" } : {};
  const [id, message] = FAULT_ANSWERS[fault.status]!;
  send(res, { status: fault.status, body: new ApiError(fault.status, fault.id ?? id, fault.message ?? message).body(), headers });
  return false;
}

async function answer(deps: DispatchDeps, req: IncomingMessage, method: string, url: URL): Promise<ApiResponse> {
  // Signed download and log session URLs are fetched without a token, like S3 and Logplex links.
  const signed = SIGNED_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
  if (!signed && !isAuthorized(req.headers, deps.apiToken)) {
    return { status: 401, body: { id: "unauthorized", message: "Invalid credentials provided." } };
  }
  const body = await readJsonBody(req);
  const found = matchRoute(deps.routes, method, url.pathname);
  if (!found) return { status: 404, body: { id: "not_found", message: UNKNOWN_ENDPOINT } };
  const response = await found.route.handler({ method, path: url.pathname, params: found.params, query: url.searchParams, headers: req.headers, body });
  if (method !== "GET" && response.status < 400) deps.afterMutation();
  return response;
}

export function createDispatcher(deps: DispatchDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader("Request-Id", requestIdOf(req.headers));
    res.setHeader("RateLimit-Remaining", "4500");
    const method = (req.method ?? "GET").toUpperCase();
    try {
      const url = new URL(req.url ?? "/", "http://emulator.local");
      if (!(await applyFaults(deps, req, res, method, url.pathname))) return;
      send(res, await answer(deps, req, method, url));
    } catch (error) {
      if (!res.headersSent) send(res, errorResponse(error));
    }
  };
}
