// Log sessions (`heroku logs [--tail] [--dyno run.N]`): POST answers a signed logplex_url that
// the emulator serves itself, without a token, as text/plain lines of the app's buffered log.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EmulatorContext } from "./context";
import { ApiError, notFound } from "./errors";
import { type Route, json, parseBody, route } from "./http";
import type { LogFilter } from "./log-buffer";
import { requireRunner } from "./routes-dynos";
import { listDynos } from "./routes-formation";
import { type AppRecord, requireApp } from "./state";

export const LOGS_PREFIX = "/__logs/";
// Like Heroku's, a session URL is short-lived: open it soon after creating it.
const SESSION_TTL_MS = 5 * 60_000;
const MAX_SESSIONS = 1_000;

const LogSessionBody = z.object({
  dyno: z.string().min(1).max(100).regex(/^[\w.-]+$/, "must be a dyno name (run.1234) or a process type (web)").optional(),
  lines: z.number().int().min(0).max(1500, "must be at most 1500 (Heroku keeps the last 1500 lines)").optional(),
  source: z.enum(["app", "heroku"]).optional(),
  tail: z.boolean().optional(),
});

interface Session {
  appName: string;
  filter: LogFilter;
  lines: number;
  tail: boolean;
  expiresAt: number;
}

/** A dyno filter must name something the app has: a dyno, a process type, or `run`. */
function requireKnownDyno(ctx: EmulatorContext, app: AppRecord, dyno: string): void {
  const runner = requireRunner(ctx, app);
  const names = new Set([...listDynos(ctx, app).map((d) => d.name), ...runner.list().map((d) => d.name)]);
  const types = new Set(["run", ...app.formation.map((f) => f.type)]);
  if (names.has(dyno) || types.has(dyno)) return;
  throw notFound("dyno", `Couldn't find that dyno (${dyno}) on app ${app.name}; GET /apps/${app.name}/dynos lists the running ones.`);
}

export function logSessionRoutes(ctx: EmulatorContext): Route[] {
  const sessions = new Map<string, Session>();
  const prune = () => {
    for (const [id, s] of sessions) if (s.expiresAt < Date.now()) sessions.delete(id);
    while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
  };
  const signatureOf = (id: string) => ctx.sign(`log-session:${id}`);
  return [
    route("POST", "/apps/:app/log-sessions", (req) => {
      const app = requireApp(ctx.state(), req.params.app);
      const body = parseBody(LogSessionBody, req.body);
      requireRunner(ctx, app);
      if (body.dyno) requireKnownDyno(ctx, app, body.dyno);
      prune();
      const id = randomUUID();
      const filter: LogFilter = { ...(body.dyno ? { dyno: body.dyno } : {}), ...(body.source ? { source: body.source } : {}) };
      sessions.set(id, { appName: app.name, filter, lines: body.lines ?? 100, tail: body.tail ?? false, expiresAt: Date.now() + SESSION_TTL_MS });
      const at = new Date().toISOString();
      const logplexUrl = `${ctx.baseUrl()}${LOGS_PREFIX}${id}?signature=${signatureOf(id)}`;
      return json(201, { id, logplex_url: logplexUrl, created_at: at, updated_at: at });
    }),
    // Fetched without a token, like Logplex's session URLs; the signature is the credential.
    route("GET", `${LOGS_PREFIX}:id`, (req) => {
      if (req.query.get("signature") !== signatureOf(req.params.id)) throw new ApiError(403, "forbidden", "Invalid or missing signature.");
      const session = sessions.get(req.params.id);
      if (!session || session.expiresAt < Date.now()) {
        throw notFound("log_session", "That log session has expired; create a new one with POST /apps/{app}/log-sessions.");
      }
      const runner = requireRunner(ctx, requireApp(ctx.state(), session.appName));
      const chunks = (signal: AbortSignal) => runner.logs.follow(session.filter, { lines: session.lines, tail: session.tail, signal });
      return { status: 200, body: null, stream: { contentType: "text/plain; charset=utf-8", chunks } };
    }),
  ];
}
