import { passwordOf } from "@/lib/pg/url";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { PASSFILE_PREFIX } from "./leftovers";
import path from "node:path";

/** A libpq password file on disk, plus the way to get rid of it. */
export interface Passfile {
  path: string;
  remove(): Promise<void>;
}

/** Escapes one field of a .pgpass line: libpq treats `:` as a separator and `\` as the escape. */
export function escapePassfileField(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/:/g, "\\:");
}

/** host:port:database:user:password for a URL, exactly as libpq will match it. */
export function passfileLine(url: string): string | null {
  const parsed = new URL(url);
  const password = passwordOf(parsed);
  if (!password) return null;
  const user = decodeURIComponent(parsed.username) || parsed.searchParams.get("user") || "";
  const fields = [
    parsed.hostname.replace(/^\[(.*)\]$/, "$1"), // libpq is given IPv6 hosts without brackets
    parsed.port || "5432",
    decodeURIComponent(parsed.pathname.slice(1)) || user,
    user,
    password,
  ];
  return fields.map(escapePassfileField).join(":");
}

export { passwordsOf } from "@/lib/pg/url";

/** The same connection without its password (in the userinfo or a `password=` parameter). */
export function urlWithoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  parsed.searchParams.delete("password");
  return parsed.toString();
}

/** The URL as logs show it: the password, wherever it sits, as `****`. */
export function maskedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "****";
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "****");
  return parsed.toString();
}

/**
 * Writes a passfile for these URLs in a fresh 0700 directory (file mode 0600, which libpq
 * insists on). Callers remove it in `finally`; prefer `withPassfile`.
 */
export async function createPassfile(urls: readonly string[]): Promise<Passfile> {
  const dir = await mkdtemp(path.join(tmpdir(), `${PASSFILE_PREFIX}${process.pid}-`));
  const file = path.join(dir, "pgpass");
  const lines = urls.map(passfileLine).filter((l): l is string => l !== null);
  try {
    await writeFile(file, lines.map((l) => `${l}\n`).join(""), { mode: 0o600, flag: "wx" });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `fn` with a passfile for these URLs and deletes it afterwards, whatever happens. */
export async function withPassfile<T>(urls: readonly string[], fn: (passfile: Passfile) => Promise<T>): Promise<T> {
  const passfile = await createPassfile(urls);
  try {
    return await fn(passfile);
  } finally {
    await passfile.remove();
  }
}
