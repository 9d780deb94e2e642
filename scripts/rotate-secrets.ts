// `npm run secrets:rotate`: re-seals every stored secret with SWITCHYARD_SECRET_KEY, opening the
// old ones with SWITCHYARD_PREVIOUS_SECRET_KEYS. Safe to run again; exit 1 with one line on error.
import { systemActor, type Ctx } from "@/lib/context";
import { createDb } from "@/lib/db/client";
import { rotateSecretsEnv } from "@/lib/env/cli";
import { ConfigError } from "@/lib/env/parse";
import { parseKeyring } from "@/lib/security/keyring";
import { redact } from "@/lib/security/redact";
import { rotateSecrets } from "@/lib/security/rotate-secrets";

async function main() {
  const env = rotateSecretsEnv();
  const secretKey = parseKeyring(env.SWITCHYARD_SECRET_KEY, env.SWITCHYARD_PREVIOUS_SECRET_KEYS);
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    const ctx: Ctx = { db, actor: systemActor("cli"), now: () => new Date(), secretKey };
    const { rotated, alreadyCurrent } = await rotateSecrets({ ctx });
    console.log(`secrets sealed with key ${secretKey.id}: ${rotated} rotated, ${alreadyCurrent} already current`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `secrets:rotate failed: ${oneLine(err)}`);
  process.exit(1);
});

// Prisma's messages span lines (call site, code excerpt) with the cause last, and driver errors
// may quote the connection string: the operator gets the cause, on one line, passwords masked.
function oneLine(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines[0]?.startsWith("Invalid `") ? lines.at(-1) : lines[0];
  return redact(line ?? "unknown error");
}
