import type { IncomingMessage, ServerResponse } from "node:http";
import { redact } from "@/lib/security/redact";
import { createWrite, getImage, health, listOrders } from "./api";
import type { AppContext, Handler } from "./context";
import { homePage } from "./home-page";
import { HttpError, sendJson } from "./http-kit";

interface Route {
  method: string;
  path: RegExp;
  handler: Handler;
}

const ROUTES: Route[] = [
  { method: "GET", path: /^\/$/, handler: homePage },
  { method: "GET", path: /^\/health$/, handler: health },
  { method: "GET", path: /^\/api\/orders$/, handler: listOrders },
  { method: "POST", path: /^\/api\/writes$/, handler: createWrite },
  { method: "GET", path: /^\/images\/([^/]+)$/, handler: getImage },
];

/** Finds the route for a request; unknown paths and wrong methods get clear JSON errors. */
export async function route(req: IncomingMessage, res: ServerResponse, ctx: AppContext): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  const matches = ROUTES.filter((r) => r.path.test(path));
  const match = matches.find((r) => r.method === method);
  try {
    if (!match && matches.length > 0) {
      res.setHeader("Allow", matches.map((r) => r.method).join(", "));
      throw new HttpError(405, `${req.method} is not allowed on ${path}`);
    }
    if (!match) throw new HttpError(404, `no route for ${req.method} ${path}`);
    await match.handler(req, res, ctx, match.path.exec(path)!.slice(1));
  } catch (err) {
    sendError(res, err, ctx);
  }
}

function sendError(res: ServerResponse, err: unknown, ctx: AppContext): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, { error: redact(err.message, ctx.secrets) });
    return;
  }
  // A bug in this app, not the client's fault nor the database's: say so, log the detail.
  ctx.log.error(`unexpected error: ${(err as Error).stack ?? String(err)}`);
  sendJson(res, 500, { error: "internal error in the sample app" });
}
