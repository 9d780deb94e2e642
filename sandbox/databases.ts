import path from "node:path";
import { ensureCertificates } from "@/lib/pg/certificates";
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from "@/lib/pg/embedded-server";
import { withDatabase } from "@/lib/pg/url";
import type { SandboxCredentials } from "./credentials";
import { installPlatformExtensions } from "./dataset/extensions";
import { HEROKU_DEFAULT_CREDENTIAL, ownedDatabase, RDS_MASTER_USER } from "./platform-roles";

export interface SandboxDatabases {
  source: EmbeddedServer;
  target: EmbeddedServer;
  /** The app's credential, as Heroku hands it out: no sslmode, TLS negotiated. */
  sourceUrl: string;
  /** The RDS master user's URL with `sslmode=verify-full&sslrootcert=<the target's CA>`. */
  targetUrl: string;
  /** A second database on the target server, for rehearsals. */
  rehearsalUrl: string;
  /** The CA that signed the target's certificate (RDS's global-bundle.pem, here). */
  targetCaFile: string;
  /** The target's master user, for more databases it owns (benchmarks' fresh targets). */
  targetRole: { role: string; attributes: string; password: string };
  /** Stops the target server and starts it again on the same port and data (a fault for rehearsals). */
  restartTarget(): Promise<void>;
  stop(): Promise<void>;
}

// Both servers take TLS only, as Heroku Postgres and RDS (rds.force_ssl=1) do.
const TLS_ONLY_HBA = [
  "hostssl all all 127.0.0.1/32 scram-sha-256",
  "hostssl all all ::1/128 scram-sha-256",
  "hostnossl all all 0.0.0.0/0 reject",
  "hostnossl all all ::/0 reject",
  "",
].join("\n");

const HOSTS = ["127.0.0.1", "localhost", "::1"];

/**
 * Two separate servers, so a copy really crosses servers. "Heroku Postgres" holds the app's
 * database, owned by a credential like Heroku's default one (no superuser, no CREATEROLE, CREATEDB
 * or REPLICATION; extensions made by the platform). "RDS" is the empty target, owned by a master
 * user that may create databases and roles, like rds_superuser, and nothing more.
 */
export async function startSandboxDatabases(
  dir: string,
  ports: { source: number; target: number },
  creds: SandboxCredentials,
  // Benchmarks run durable servers, as the platforms do; the sandbox trades that for speed.
  opts: { fast?: boolean } = {},
): Promise<SandboxDatabases> {
  const [sourceTls, targetTls] = await Promise.all([
    ensureCertificates(path.join(dir, "tls", "source"), { hosts: HOSTS, name: "Sandbox Heroku Postgres" }),
    ensureCertificates(path.join(dir, "tls", "target"), { hosts: HOSTS, name: "Sandbox RDS" }),
  ]);
  const server = (name: string, port: number, password: string, tls: { certPem: string; keyPem: string }): EmbeddedServerOptions => ({
    dataDir: path.join(dir, `${name}-pg`),
    port,
    password,
    fast: opts.fast ?? true,
    logFile: path.join(dir, "logs", `${name}-pg.log`),
    tls: { certPem: tls.certPem, keyPem: tls.keyPem },
    hba: TLS_ONLY_HBA,
    // Both platforms preload pg_stat_statements; Heroku also keeps wal_level at replica (no logical decoding).
    settings: { wal_level: "replica", shared_preload_libraries: "pg_stat_statements" },
  });
  const targetOptions = server("target", ports.target, creds.targetAdminPassword, targetTls);
  const started = await Promise.allSettled([startEmbeddedServer(server("source", ports.source, creds.sourceAdminPassword, sourceTls)), startEmbeddedServer(targetOptions)]);
  // If one server failed, stop the other rather than leave it running without an owner.
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  const [source, firstTarget] = started.map((s) => (s as PromiseFulfilledResult<EmbeddedServer>).value) as [EmbeddedServer, EmbeddedServer];
  let target = firstTarget;
  try {
    const sourceUrl = await ownedDatabase(source.adminUrl, { role: "heroku_app_user", attributes: HEROKU_DEFAULT_CREDENTIAL, password: creds.sourceAppPassword, database: "heroku_db" });
    await installPlatformExtensions(withDatabase(source.adminUrl, "heroku_db"));
    const master = { role: "rds_user", attributes: RDS_MASTER_USER, password: creds.targetAppPassword };
    const verified = (url: string) => withTlsVerification(url, targetTls.caFile);
    const targetUrl = verified(await ownedDatabase(target.adminUrl, { ...master, database: "app" }));
    const rehearsalUrl = verified(await ownedDatabase(target.adminUrl, { ...master, database: "app_rehearsal" }));
    return {
      source,
      targetRole: { ...master },
      get target() {
        return target;
      },
      sourceUrl,
      targetUrl,
      rehearsalUrl,
      targetCaFile: targetTls.caFile,
      restartTarget: async () => {
        await target.stop();
        target = await startEmbeddedServer(targetOptions);
      },
      stop: async () => {
        await Promise.all([source.stop(), target.stop()]);
      },
    };
  } catch (err) {
    await Promise.all([source.stop(), target.stop()]);
    throw err;
  }
}

/** What RDS recommends: check the certificate chain and the host name against its CA bundle. */
function withTlsVerification(url: string, caFile: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("sslmode", "verify-full");
  parsed.searchParams.set("sslrootcert", caFile);
  return parsed.toString();
}
