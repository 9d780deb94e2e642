import "server-only";
import { NextResponse } from "next/server";
import { DomainError, httpStatusOf } from "@/lib/errors";
import { createLogger } from "@/lib/log";

const log = createLogger("web");

/** Wraps a route handler: DomainErrors become their status with a clear body; anything else a 500 without internals. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<unknown>) {
  return async (...args: A): Promise<Response> => {
    try {
      const result = await handler(...args);
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (err) {
      if (err instanceof DomainError) {
        return NextResponse.json(
          { error: { code: err.code, message: err.message, fields: err.fields } },
          { status: httpStatusOf(err.code) },
        );
      }
      log.error(`unhandled error: ${(err as Error).stack ?? String(err)}`);
      return NextResponse.json({ error: { code: "internal", message: "Something went wrong on the server; it has been logged." } }, { status: 500 });
    }
  };
}
