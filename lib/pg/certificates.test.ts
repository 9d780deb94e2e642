import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCertificates } from "./certificates";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "certs-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("ensureCertificates", () => {
  it("signs a server certificate naming every host, IPs as IP and names as DNS", async () => {
    const certs = await ensureCertificates(path.join(dir, "a"), { hosts: ["127.0.0.1", "localhost", "::1"], name: "Test A" });
    const { stdout } = await promisify(execFile)("openssl", ["x509", "-noout", "-ext", "subjectAltName", "-in", path.join(dir, "a", "server.crt")]);
    expect(stdout).toMatch(/IP Address:127\.0\.0\.1/);
    expect(stdout).toMatch(/DNS:localhost/);
    expect(stdout).toMatch(/IP Address:0:0:0:0:0:0:0:1/);
    const cert = new X509Certificate(certs.certPem);
    expect(cert.verify(new X509Certificate(certs.caPem).publicKey)).toBe(true);
    expect(certs.keyPem).toMatch(/PRIVATE KEY/);
    expect((await stat(certs.caFile)).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(dir, "a", "server.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, "a", "ca.key"))).mode & 0o777).toBe(0o600);
  });

  it("reuses what it made, and makes a new set when the hosts change or a file is spoilt", async () => {
    const first = await ensureCertificates(path.join(dir, "b"), { hosts: ["127.0.0.1"], name: "Test B" });
    expect(await ensureCertificates(path.join(dir, "b"), { hosts: ["127.0.0.1"], name: "Test B" })).toEqual(first);
    const more = await ensureCertificates(path.join(dir, "b"), { hosts: ["127.0.0.1", "db.example.internal"], name: "Test B" });
    expect(more.certPem).not.toBe(first.certPem);
    await writeFile(path.join(dir, "b", "server.key"), "junk");
    expect((await ensureCertificates(path.join(dir, "b"), { hosts: ["127.0.0.1"], name: "Test B" })).keyPem).toMatch(/PRIVATE KEY/);
  });

  it("gives another name in another folder a CA that did not sign the first certificate", async () => {
    const a = await ensureCertificates(path.join(dir, "c1"), { hosts: ["127.0.0.1"], name: "One" });
    const b = await ensureCertificates(path.join(dir, "c2"), { hosts: ["127.0.0.1"], name: "Two" });
    expect(b.caPem).not.toBe(a.caPem);
    expect(new X509Certificate(a.certPem).verify(new X509Certificate(b.caPem).publicKey)).toBe(false);
  });
});
