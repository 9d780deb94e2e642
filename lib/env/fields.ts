import { isIP } from "node:net";
import { z } from "zod";
import { redactUrl } from "@/lib/pg/url";
import { parseSecretKey } from "@/lib/security/secret-key";

/** A value as a one-line error may show it: passwords masked (also `password=` parameters), long ones cut. */
export function shownValue(value: string): string {
  const masked = redactUrl(value).replace(/([?&]password=)[^&]*/gi, "$1****");
  return masked.length > 120 ? `${masked.slice(0, 100)}… (${value.length} characters)` : masked;
}

/** A PostgreSQL connection URL; the error shows the value with its password masked. */
export const postgresUrl = z.string().superRefine((value, ctx) => {
  const problem = postgresUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `${problem} (got "${shownValue(value)}")` });
});

/** A URL with one of these schemes (z.string().url() alone takes javascript: or file: too). */
export const urlWithScheme = (schemes: string[], message: string) =>
  z.string().refine((value) => URL.canParse(value) && schemes.includes(new URL(value).protocol), message);

function postgresUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like postgresql://user:password@localhost:5432/switchyard";
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    return `must start with postgres:// or postgresql://, not ${url.protocol}//`;
  }
  if (!url.hostname) return "must name a host, as in postgresql://user:password@HOST:5432/db";
  if (url.pathname.length <= 1) return "must name a database, as in postgresql://user:password@host:5432/DB";
  return null;
}

/** A TCP port number given as text. */
export const port = z.coerce
  .number({ message: "must be a port number between 1 and 65535" })
  .int("must be a whole port number")
  .min(1, "must be a port number between 1 and 65535")
  .max(65535, "must be a port number between 1 and 65535");

/** The AES-256 key for secrets at rest: 32 bytes, base64-encoded. */
export const secretKey = z.string().superRefine((value, ctx) => {
  try {
    parseSecretKey(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
  }
});

export const logLevel = z.enum(["debug", "info", "warn", "error"], {
  message: "must be one of debug, info, warn, error",
});

/** Comma-separated addresses or CIDR ranges (IPv4 or IPv6), e.g. "10.0.0.0/8, ::1"; empty for none. */
export const addressList = z.string().transform((value, ctx) => {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = items.find((item) => !isAddressOrRange(item));
  if (bad === undefined) return items;
  ctx.addIssue({ code: "custom", message: `must be addresses or CIDR ranges separated by commas, like "10.0.0.0/8,192.168.1.7" (got ${JSON.stringify(bad.length > 60 ? `${bad.slice(0, 60)}…` : bad)})` });
  return z.NEVER;
});

function isAddressOrRange(item: string): boolean {
  const [address = "", prefix, extra] = item.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
