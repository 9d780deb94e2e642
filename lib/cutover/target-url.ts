import type { FieldError } from "@/lib/errors";

/** Checks a target database URL part by part, so the form can say exactly which part is wrong. */
export function targetUrlProblems(value: string, path = "targetDatabaseUrl"): FieldError[] {
  const problem = (message: string): FieldError[] => [{ path, message }];
  if (value.length > 2048) return problem("is too long (2048 characters at most)");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem("must be a URL like postgres://user:password@host:5432/database");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return problem(`must start with postgres:// or postgresql:// (not ${url.protocol}//)`);
  }
  if (!url.username) return problem("must include a user name, as in postgres://USER:password@host:5432/db");
  if (!url.password) return problem("must include a password, as in postgres://user:PASSWORD@host:5432/db");
  if (!url.hostname) return problem("must include a host, as in postgres://user:password@HOST:5432/db");
  if (url.port && (Number(url.port) < 1 || Number(url.port) > 65535)) return problem("has a port outside 1–65535");
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) return problem("must name one database, as in postgres://user:password@host:5432/DATABASE");
  return [];
}
