import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SandboxCredentials {
  apiToken: string;
  sourceAdminPassword: string;
  sourceAppPassword: string;
  targetAdminPassword: string;
  targetAppPassword: string;
}

const fresh = (): SandboxCredentials => ({
  apiToken: `sandbox-${randomBytes(18).toString("hex")}`,
  sourceAdminPassword: randomBytes(15).toString("base64url"),
  sourceAppPassword: randomBytes(15).toString("base64url"),
  targetAdminPassword: randomBytes(15).toString("base64url"),
  targetAppPassword: randomBytes(15).toString("base64url"),
});

/** Generated once per sandbox and kept beside its data (0600), so restarts reuse them. */
export async function loadCredentials(dir: string): Promise<SandboxCredentials> {
  const file = path.join(dir, "credentials.json");
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing) return JSON.parse(existing) as SandboxCredentials;
  await mkdir(dir, { recursive: true });
  const credentials = fresh();
  await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}
