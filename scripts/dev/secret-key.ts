import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DevEnv } from "@/lib/env/dev";
import { generateSecretKeyText } from "@/lib/security/secret-key";

/** SWITCHYARD_SECRET_KEY when set; otherwise a key generated once under SWITCHYARD_HOME (0600). */
export async function loadSecretKeyText(env: DevEnv): Promise<string> {
  if (env.SWITCHYARD_SECRET_KEY) return env.SWITCHYARD_SECRET_KEY;
  const file = path.join(env.home, "secret.key");
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing) return existing.trim();
  await mkdir(env.home, { recursive: true });
  const key = generateSecretKeyText();
  await writeFile(file, key, { mode: 0o600 });
  return key;
}
