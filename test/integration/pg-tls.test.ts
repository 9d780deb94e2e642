import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCertificates } from "@/lib/pg/certificates";
import { connect, createPool, toolConnection, withClient } from "@/lib/pg/connect";
import { startEmbeddedServer, type EmbeddedServer } from "@/lib/pg/embedded-server";
import { freePort } from "@/sandbox/dynos/dyno-process";
import { createPassfile } from "@/worker/steps/postgres/passfile";
import { toolEnv } from "@/worker/steps/postgres/tool-env";

// A TLS-only server like Heroku Postgres and RDS, and the errors a user gets for each wrong TLS setting.
const HBA = ["hostssl all all 127.0.0.1/32 scram-sha-256", "hostnossl all all 0.0.0.0/0 reject", ""].join("\n");
const PASSWORD = "tls-test-Secret-42";
let dir: string;
let server: EmbeddedServer;
let caFile: string;
let otherCaFile: string;
let namedOnlyCaFile: string;
let namedOnly: EmbeddedServer;
let plain: EmbeddedServer;

const url = (s: EmbeddedServer, params = "") => `postgresql://postgres:${PASSWORD}@127.0.0.1:${s.port}/postgres${params}`;
const usesTls = (u: string) => withClient(u, async (c) => (await c.query<{ ssl: boolean }>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0]!.ssl);
const failure = async (u: string) => {
  const err = await connect(u).then(
    (c) => (void c.end(), null),
    (e: Error) => e,
  );
  expect(err, `expected ${u} to fail`).toBeInstanceOf(Error);
  expect(err!.message).not.toContain(PASSWORD);
  return err!.message;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "pg-tls-"));
  const tls = await ensureCertificates(path.join(dir, "ca"), { hosts: ["127.0.0.1", "localhost"], name: "Test TLS" });
  const other = await ensureCertificates(path.join(dir, "other"), { hosts: ["127.0.0.1"], name: "Someone else" });
  const named = await ensureCertificates(path.join(dir, "named"), { hosts: ["db.example.internal"], name: "Named only" });
  [caFile, otherCaFile, namedOnlyCaFile] = [tls.caFile, other.caFile, named.caFile];
  const start = async (name: string, certs?: { certPem: string; keyPem: string }) =>
    startEmbeddedServer({ dataDir: path.join(dir, name), port: await freePort(), password: PASSWORD, fast: true, logFile: path.join(dir, `${name}.log`), ...(certs ? { tls: certs, hba: HBA } : {}) });
  [server, namedOnly, plain] = await Promise.all([start("tls-only", tls), start("named-only", named), start("plain")]);
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), namedOnly?.stop(), plain?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("TLS as libpq negotiates it", () => {
  it("with no sslmode, uses TLS where the server has it and plain where it has not", async () => {
    expect(await usesTls(url(server))).toBe(true);
    expect(await usesTls(url(plain))).toBe(false);
  });

  it("require encrypts without checking the certificate (Heroku's URLs)", async () => {
    expect(await usesTls(url(server, "?sslmode=require"))).toBe(true);
  });

  it("verify-full checks the chain and the host against sslrootcert (RDS)", async () => {
    expect(await usesTls(url(server, `?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`))).toBe(true);
  });

  it("verify-ca checks the chain only, so a certificate for another name passes", async () => {
    expect(await usesTls(url(namedOnly, `?sslmode=verify-ca&sslrootcert=${encodeURIComponent(namedOnlyCaFile)}`))).toBe(true);
  });

  it("pools negotiate the same way, learning once that a server has no TLS", async () => {
    const pool = createPool(url(plain), { max: 2 });
    const tlsPool = createPool(url(server), { max: 2 });
    try {
      const counts = await Promise.all([pool.query("SELECT 1"), pool.query("SELECT 1"), tlsPool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")]);
      expect(counts[2].rows[0].ssl).toBe(true);
    } finally {
      await Promise.all([pool.end(), tlsPool.end()]);
    }
  });

  it("hands pg tools the mode and CA through the environment, never argv", async () => {
    const target = url(server, `?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`);
    const { dbname, env } = toolConnection(target);
    expect(dbname).not.toMatch(/ssl|tls-test-Secret/);
    expect(env).toEqual({ PGSSLMODE: "verify-full", PGSSLROOTCERT: caFile });
    const passfile = await createPassfile([target]);
    try {
      const { stdout } = await promisify(execFile)("psql", ["-X", "-At", "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", "--dbname", dbname], { env: toolEnv(passfile.path, target) });
      expect(stdout.trim()).toBe("t");
    } finally {
      await passfile.remove();
    }
  });
});

describe("bad TLS input says what to fix", () => {
  it("sslmode=disable against a server that takes TLS only", async () => {
    expect(await failure(url(server, "?sslmode=disable"))).toMatch(/accepts only TLS connections, but the URL says sslmode=disable: remove sslmode/);
  });

  it("sslmode=require against a server without TLS", async () => {
    expect(await failure(url(plain, "?sslmode=require"))).toMatch(/does not accept TLS connections, but the URL asks for sslmode=require/);
  });

  it("a CA that did not sign the server's certificate", async () => {
    const message = await failure(url(server, `?sslmode=verify-full&sslrootcert=${encodeURIComponent(otherCaFile)}`));
    expect(message).toMatch(/certificate is not signed by the CA in sslrootcert .*other/);
  });

  it("a CA file that does not exist, or is no certificate", async () => {
    expect(await failure(url(server, "?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"))).toMatch(/cannot read sslrootcert \/nonexistent\/ca\.pem: no such file/);
    const junk = path.join(dir, "junk.pem");
    await writeFile(junk, "not a certificate");
    expect(await failure(url(server, `?sslmode=verify-ca&sslrootcert=${encodeURIComponent(junk)}`))).toMatch(/holds no PEM certificate/);
  });

  it("a certificate whose host does not match (verify-full)", async () => {
    const message = await failure(url(namedOnly, `?sslmode=verify-full&sslrootcert=${encodeURIComponent(namedOnlyCaFile)}`));
    expect(message).toMatch(/certificate does not name the host 127\.0\.0\.1 \(it names DNS:db\.example\.internal\).*verify-ca/);
  });

  it("verify-full without a CA, and an unknown sslmode", async () => {
    expect(await failure(url(server, "?sslmode=verify-full"))).toMatch(/verify-full needs sslrootcert=/);
    expect(await failure(url(server, "?sslmode=sometimes"))).toMatch(/sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full \(got "sometimes"\)/);
  });

  it("names the server and user, never the password", async () => {
    const message = await failure(url(server, "?sslmode=disable"));
    expect(message).toMatch(/^could not connect to 127\.0\.0\.1:\d+\/postgres as postgres: /);
  });
});
