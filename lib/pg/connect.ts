import pg from "pg";
import { describePgUrl } from "@/lib/pg/url";
import { scrub } from "@/lib/security/scrub";
import { passwordsOf } from "./url";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const NO_TLS = /does not support SSL/i;

/**
 * Connects like libpq would: node-pg alone never tries TLS unless told to, and treats
 * sslmode=require as verify-full, yet Heroku Postgres demands TLS with a certificate nobody
 * verifies. So: no sslmode → try TLS and fall back; require → TLS without verification.
 */
export async function connect(url: string): Promise<pg.Client> {
  const parsed = new URL(url);
  const mode = parsed.searchParams.get("sslmode") ?? (LOOPBACK.has(parsed.hostname) ? "disable" : "prefer");
  if (!["prefer", "allow", "require"].includes(mode)) return open(url, undefined);
  parsed.searchParams.delete("sslmode");
  const plain = parsed.toString();
  try {
    return await open(plain, { rejectUnauthorized: false });
  } catch (err) {
    if (mode === "require" || !NO_TLS.test(String((err as Error).message))) throw err;
    return open(plain, false);
  }
}

async function open(url: string, ssl: pg.ClientConfig["ssl"] | undefined): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    ...(ssl === undefined ? {} : { ssl }),
    application_name: "switchyard",
    connectionTimeoutMillis: 10_000,
  });
  client.on("error", () => undefined); // a dropped idle connection must not crash the worker
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionError(url, err);
  }
}

/** "could not connect to 127.0.0.1:5432/app as rds_user: password authentication failed …" */
export function connectionError(url: string, err: unknown): Error {
  const { host, port, database, user } = describePgUrl(url);
  const reason = scrub(explain(err), passwordsOf([url]));
  return new Error(`could not connect to ${host}:${port}/${database} as ${user}: ${reason}`);
}

function explain(err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  if (code === "ECONNREFUSED") return "connection refused (is the server running and accepting TCP connections on that port?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found";
  if (code === "ETIMEDOUT" || /timeout/i.test(message ?? "")) return "timed out after 10 s";
  return message ?? String(err);
}

/** Opens a connection, runs `fn`, always closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** schema.name, each part quoted. */
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
