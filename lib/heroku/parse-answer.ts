// Validates a 2xx body against its schema; a mismatch names the request and the bad fields.
import type { z } from "zod";
import { HerokuResponseError } from "./errors";

function where(path: PropertyKey[]): string {
  if (path.length === 0) return "body";
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, at: { method: string; path: string; status: number }): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  // Issue messages name expected types, never the received values (which may be secrets).
  const problem = issues.slice(0, 3).map((i) => `${where(i.path)}: ${i.message}`).join("; ");
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  throw new HerokuResponseError(at.method, at.path, at.status, problem + more);
}
