import { readFileSync } from "node:fs";
import { checkServerIdentity, type ConnectionOptions } from "node:tls";

/** libpq's sslmode values, weakest first. */
export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** URL parameters that only say how to do TLS; they are read here and never handed to node-pg. */
const TLS_PARAMS = ["sslmode", "sslrootcert", "sslcert", "sslkey", "sslnegotiation", "ssl", "sslcompression"] as const;

export interface TlsPolicy {
  mode: SslMode;
  /** The CA file to verify the server against (verify-ca, verify-full; or require with a CA, as libpq does). */
  rootCert?: string;
}

export class TlsConfigError extends Error {}

/** Reads sslmode/sslrootcert the way libpq does: no sslmode means "prefer", for loopback too. */
export function tlsPolicyOf(url: string | URL): TlsPolicy {
  const parsed = typeof url === "string" ? new URL(url) : url;
  const raw = parsed.searchParams.get("sslmode") ?? "prefer";
  if (!(SSL_MODES as readonly string[]).includes(raw)) {
    throw new TlsConfigError(`sslmode must be one of ${SSL_MODES.join(", ")} (got "${raw.slice(0, 40)}")`);
  }
  const mode = raw as SslMode;
  for (const unsupported of ["sslcert", "sslkey"] as const) {
    if (parsed.searchParams.has(unsupported)) throw new TlsConfigError(`${unsupported} (client certificates) is not supported; remove it from the URL`);
  }
  const rootCert = parsed.searchParams.get("sslrootcert") ?? undefined;
  if ((mode === "verify-ca" || mode === "verify-full") && !rootCert) {
    throw new TlsConfigError(`sslmode=${mode} needs sslrootcert=/path/to/ca.pem, the CA that signed the server's certificate (for RDS: its global-bundle.pem)`);
  }
  if (rootCert === "system") throw new TlsConfigError("sslrootcert=system is not supported; give the path of the CA bundle file");
  return rootCert ? { mode, rootCert } : { mode };
}

/** The URL node-pg may parse: no TLS parameters, which would override the ssl settings we pass. */
export function withoutTlsParams(url: string): string {
  const parsed = new URL(url);
  for (const p of TLS_PARAMS) parsed.searchParams.delete(p);
  return parsed.toString();
}

/**
 * node-pg's `ssl` option for one attempt. `require` encrypts without checking who answers
 * (Heroku's certificates are not from a public CA); with a CA file libpq checks the chain, as we do.
 */
export function sslOptionsFor(policy: TlsPolicy, host: string, tls: boolean): false | ConnectionOptions {
  if (!tls) return false;
  if (!policy.rootCert) return { rejectUnauthorized: false };
  const ca = readRootCert(policy.rootCert);
  const options: ConnectionOptions = { rejectUnauthorized: true, ca };
  // verify-ca (and require with a CA) checks the chain, not the name; verify-full checks both.
  // node-pg sends no host to tls.connect for an IP address, so Node would check "localhost".
  options.checkServerIdentity = policy.mode === "verify-full" ? (_name, cert) => checkServerIdentity(host.replace(/^\[(.*)\]$/, "$1"), cert) : () => undefined;
  return options;
}

function readRootCert(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (err as Error).message;
    throw new TlsConfigError(`cannot read sslrootcert ${file}: ${why}`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new TlsConfigError(`sslrootcert ${file} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
  return pem;
}

/** Whether libpq's negotiation should try TLS first, and whether it may fall back. */
export function attemptsFor(mode: SslMode): boolean[] {
  switch (mode) {
    case "disable":
      return [false];
    case "allow":
      return [false, true];
    case "prefer":
      return [true, false];
    default:
      return [true];
  }
}

/** What pg_dump/pg_restore/psql get, through their environment and never argv. */
export function libpqTlsEnv(url: string): Record<string, string> {
  const policy = tlsPolicyOf(url);
  return policy.rootCert ? { PGSSLMODE: policy.mode, PGSSLROOTCERT: policy.rootCert } : { PGSSLMODE: policy.mode };
}
