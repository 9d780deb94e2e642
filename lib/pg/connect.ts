import pg from "pg";
import { describePgUrl } from "@/lib/pg/url";
import { scrub } from "@/lib/security/scrub";
import { attemptsFor, libpqTlsEnv, sslOptionsFor, tlsPolicyOf, TlsConfigError, withoutTlsParams, type TlsPolicy } from "./tls";
import { passwordsOf } from "./url";

// The one module that opens PostgreSQL connections (a test refuses `new pg.Client/Pool` elsewhere):
// TLS as libpq does it, and errors that say what to fix without ever showing a password.

export interface ConnectOptions {
  applicationName?: string;
  connectTimeoutMs?: number;
  /** Server settings for the session, as libpq's `options` (e.g. "-c synchronous_commit=off"). */
  options?: string;
  statementTimeoutMs?: number;
}

const NO_TLS = /does not support SSL/i;
const NEEDS_TLS = /no encryption/i;

/** Connects like libpq would: no sslmode → try TLS and fall back; require → TLS unverified; verify-* → checked. */
export async function connect(url: string, opts: ConnectOptions = {}): Promise<pg.Client> {
  const policy = policyOf(url);
  const attempts = attemptsFor(policy.mode);
  for (let i = 0; ; i++) {
    try {
      return await open(url, policy, attempts[i]!, opts);
    } catch (err) {
      const fallBack = i + 1 < attempts.length && (attempts[i] ? NO_TLS : NEEDS_TLS).test(String((err as Error).message));
      if (!fallBack) throw connectionError(url, err, policy);
    }
  }
}

/** Opens a connection, runs `fn`, always closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, opts: ConnectOptions = {}): Promise<T> {
  const client = await connect(url, opts);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PoolOptions extends ConnectOptions {
  max?: number;
  idleTimeoutMillis?: number;
}

/**
 * A pool whose connections negotiate TLS as `connect` does. The choice is learnt from the first
 * connection and kept, so under "prefer" a plain server costs one refused TLS request, once.
 */
export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const policy = policyOf(url);
  const attempts = attemptsFor(policy.mode);
  const host = describePgUrl(url).host;
  const state = { attempt: 0 };
  class NegotiatingClient extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, ssl: sslOptionsFor(policy, host, attempts[state.attempt]!) });
    }
  }
  class NegotiatingPool extends pg.Pool {
    override connect(): Promise<pg.PoolClient>;
    override connect(cb: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
    override connect(cb?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
      const tried = state.attempt;
      const attempt: Promise<pg.PoolClient> = super.connect().catch((err: Error) => {
        const fallBack = tried + 1 < attempts.length && (attempts[tried] ? NO_TLS : NEEDS_TLS).test(err.message);
        if (!fallBack) throw connectionError(url, err, policy);
        state.attempt = Math.max(state.attempt, tried + 1);
        return super.connect().catch((again: Error) => Promise.reject(connectionError(url, again, policy)));
      });
      if (!cb) return attempt;
      attempt.then(
        (client) => cb(undefined, client, (release?: unknown) => client.release(release as boolean | Error | undefined)),
        (err: Error) => cb(err, undefined, () => undefined),
      );
    }
  }
  return new NegotiatingPool({
    ...clientConfig(url, opts),
    Client: NegotiatingClient as unknown as new () => pg.ClientBase,
    max: opts.max ?? 10,
    ...(opts.idleTimeoutMillis === undefined ? {} : { idleTimeoutMillis: opts.idleTimeoutMillis }),
  });
}

/** What a pg tool needs to reach this URL: the target for `--dbname` (no password, no TLS params) and its TLS env. */
export function toolConnection(url: string): { dbname: string; env: Record<string, string> } {
  policyOf(url);
  const parsed = new URL(withoutTlsParams(url));
  parsed.password = "";
  parsed.searchParams.delete("password");
  return { dbname: parsed.toString(), env: libpqTlsEnv(url) };
}

function policyOf(url: string): TlsPolicy {
  try {
    return tlsPolicyOf(url);
  } catch (err) {
    if (err instanceof TlsConfigError) throw prefixed(url, err.message);
    throw err;
  }
}

function clientConfig(url: string, opts: ConnectOptions): pg.ClientConfig {
  return {
    connectionString: withoutTlsParams(url),
    application_name: opts.applicationName ?? "switchyard",
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    ...(opts.options ? { options: opts.options } : {}),
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  };
}

async function open(url: string, policy: TlsPolicy, tls: boolean, opts: ConnectOptions): Promise<pg.Client> {
  const client = new pg.Client({ ...clientConfig(url, opts), ssl: sslOptionsFor(policy, describePgUrl(url).host, tls) });
  client.on("error", () => undefined); // a dropped idle connection must not crash the worker
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/** "could not connect to 127.0.0.1:5432/app as rds_user: password authentication failed …" */
export function connectionError(url: string, err: unknown, policy?: TlsPolicy): Error {
  if (err instanceof Error && err.message.startsWith("could not connect to ")) return err;
  return prefixed(url, scrub(explain(err, policy), passwordsOf([url])));
}

function prefixed(url: string, reason: string): Error {
  const { host, port, database, user } = describePgUrl(url);
  return new Error(`could not connect to ${host}:${port}/${database} as ${user}: ${reason}`);
}

const UNTRUSTED = new Set(["SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT", "CERT_SIGNATURE_FAILURE"]);

function explain(err: unknown, policy?: TlsPolicy): string {
  const { code, message = String(err) } = err as { code?: string; message?: string };
  if (err instanceof TlsConfigError) return message;
  if (code === "ECONNREFUSED") return "connection refused (is the server running and accepting TCP connections on that port?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found";
  if (code === "ETIMEDOUT" || /timeout/i.test(message)) return "timed out after 10 s";
  if (NEEDS_TLS.test(message) && policy?.mode === "disable") {
    return "the server accepts only TLS connections, but the URL says sslmode=disable: remove sslmode (or set sslmode=require)";
  }
  if (NO_TLS.test(message)) return `the server does not accept TLS connections, but the URL asks for sslmode=${policy?.mode ?? "require"}: remove sslmode or use sslmode=prefer`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = (err as { cert?: { subjectaltname?: string } }).cert?.subjectaltname ?? "no names";
    return `the server's certificate does not name the host ${(err as { host?: string }).host ?? ""} (it names ${names}); connect with a host name on the certificate, or use sslmode=verify-ca to check the CA only`;
  }
  if (code && UNTRUSTED.has(code)) {
    return `the server's certificate is not signed by the CA in sslrootcert ${policy?.rootCert ?? "(none)"} (${message}); use the CA bundle of the server's provider`;
  }
  if (code === "CERT_HAS_EXPIRED") return `the server's certificate has expired (${message})`;
  return message;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** schema.name, each part quoted. */
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
