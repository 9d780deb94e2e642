import { execFile } from "node:child_process";
import { createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

export interface Certificates {
  caPem: string;
  /** The CA certificate (0644), for clients' sslrootcert. */
  caFile: string;
  certPem: string;
  keyPem: string;
}

export interface CertificateRequest {
  /** DNS names and IP addresses the server certificate must name. */
  hosts: string[];
  /** Names the private CA, so two calls with different names never trust each other. */
  name: string;
}

const FILES = { caKey: "ca.key", ca: "ca.pem", key: "server.key", cert: "server.crt" } as const;
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const run = promisify(execFile);

/** A private CA and a server certificate signed by it, made once in `dir` and reused while valid. */
export async function ensureCertificates(dir: string, req: CertificateRequest): Promise<Certificates> {
  if (req.hosts.length === 0) throw new Error("ensureCertificates needs at least one host");
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const existing = await readCertificates(dir, req);
  if (existing) return existing;
  await generate(dir, req);
  const made = await readCertificates(dir, req);
  if (!made) throw new Error(`openssl made certificates in ${dir} that do not check out`);
  return made;
}

async function readCertificates(dir: string, req: CertificateRequest): Promise<Certificates | null> {
  const read = (file: string) => readFile(path.join(dir, file), "utf8").catch(() => null);
  const [caKeyPem, caPem, keyPem, certPem] = await Promise.all([read(FILES.caKey), read(FILES.ca), read(FILES.key), read(FILES.cert)]);
  if (!caKeyPem || !caPem || !keyPem || !certPem) return null;
  try {
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    const renewBy = Date.now() + RENEW_BEFORE_MS;
    const fresh = (c: X509Certificate) => new Date(c.validTo).getTime() > renewBy;
    const ok =
      fresh(ca) &&
      fresh(cert) &&
      ca.subject.includes(`CN=${caName(req.name)}`) &&
      ca.checkPrivateKey(createPrivateKey(caKeyPem)) &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      req.hosts.every((h) => (isIP(h) ? cert.checkIP(h) : cert.checkHost(h, { wildcards: false })) !== undefined);
    return ok ? { caPem, caFile: path.join(dir, FILES.ca), certPem, keyPem } : null;
  } catch {
    return null;
  }
}

// Made in a private temp folder, then renamed into place, so a reader never sees half a set.
async function generate(dir: string, req: CertificateRequest): Promise<void> {
  const work = await mkdtemp(path.join(dir, ".new-"));
  const at = (file: string) => path.join(work, file);
  try {
    const ec = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out"];
    await Promise.all([openssl([...ec, at(FILES.caKey)]), openssl([...ec, at(FILES.key)])]);
    await openssl([
      "req", "-x509", "-new", "-sha256", "-days", String(CA_DAYS), "-key", at(FILES.caKey), "-subj", `/CN=${caName(req.name)}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", at(FILES.ca),
    ]);
    await writeFile(at("server.ext"), serverExtensions(req.hosts));
    await openssl(["req", "-new", "-key", at(FILES.key), "-subj", `/CN=${subjectSafe(req.hosts[0]!)}`, "-out", at("server.csr")]);
    await openssl([
      "x509", "-req", "-sha256", "-days", String(SERVER_DAYS), "-in", at("server.csr"), "-CA", at(FILES.ca), "-CAkey", at(FILES.caKey),
      "-set_serial", `0x${randomBytes(16).toString("hex")}`, "-extfile", at("server.ext"), "-out", at(FILES.cert),
    ]);
    for (const file of [FILES.caKey, FILES.key, FILES.cert]) await chmod(at(file), 0o600);
    await chmod(at(FILES.ca), 0o644);
    for (const file of [FILES.caKey, FILES.ca, FILES.key, FILES.cert]) await rename(at(file), path.join(dir, file));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function serverExtensions(hosts: string[]): string {
  const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${subjectSafe(h)}`)).join(",");
  return ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", `subjectAltName=${san}`, ""].join("\n");
}

// openssl's -subj and extension syntax give "/", "=", "," and "+" meanings of their own.
const subjectSafe = (text: string) => text.replace(/[^A-Za-z0-9 ._:*-]/g, "_").slice(0, 60);
const caName = (name: string) => `${subjectSafe(name)} CA`;

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${(stderr || message).trim().split("\n").slice(-2).join(" | ")}`);
  }
}
