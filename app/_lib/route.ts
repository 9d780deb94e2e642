import "server-only";
import { NextResponse } from "next/server";
import type { Ctx } from "@/lib/context";
import { DomainError, httpStatusOf } from "@/lib/errors";
import { createLogger } from "@/lib/log";
import { requestContext, trustedOrigins } from "./server-context";

const log = createLogger("web");
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler: resolves who is asking, refuses cross-site mutations made with the
 * session cookie (CSRF), runs the handler, and maps DomainErrors to their status with a clear body;
 * anything else is a 500 without internals.
 */
export function route<P>(handler: (req: Request, ctx: Ctx, extra: P) => Promise<unknown>) {
  return async (req: Request, extra: P): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const ctx = await requestContext(req.headers);
      const result = await handler(req, ctx, extra);
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (err) {
      if (err instanceof DomainError) {
        return NextResponse.json({ error: { code: err.code, message: err.message, fields: err.fields } }, { status: httpStatusOf(err.code) });
      }
      log.error(`unhandled error: ${(err as Error).stack ?? String(err)}`);
      return NextResponse.json({ error: { code: "internal", message: "Something went wrong on the server; it has been logged." } }, { status: 500 });
    }
  };
}

// A browser always sends Origin on a cross-site POST; a bearer-token client carries no cookie to abuse.
function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method) || /^Bearer\s/i.test(req.headers.get("authorization") ?? "")) return;
  const origin = req.headers.get("origin");
  if (!origin || !trustedOrigins().includes(origin)) {
    throw new DomainError("forbidden", "cross-site request refused: send it from the Switchyard dashboard, or use an API token");
  }
}
