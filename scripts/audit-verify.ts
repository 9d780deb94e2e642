// `npm run audit:verify`: walks the audit trail's hash chain in DATABASE_URL and says whether it
// holds. Exit 0 when intact; exit 1 with the first broken event, or with one line on any error.
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { createDb } from "@/lib/db/client";
import { auditVerifyEnv } from "@/lib/env/cli";
import { ConfigError } from "@/lib/env/parse";
import { redact } from "@/lib/security/redact";

async function main(): Promise<number> {
  const env = auditVerifyEnv();
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    const report = await verifyAuditChain(db);
    if (report.ok) {
      console.log(`audit chain intact: ${report.checked} events`);
      return 0;
    }
    // On stderr: a broken chain is the failure this command exists to report.
    console.error(`audit chain broken at event ${report.brokenAt}: ${report.reason} (${report.checked} events before it verified)`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `audit:verify failed: ${oneLine(err)}`);
    process.exit(1);
  },
);

// Prisma's messages span lines (call site, code excerpt) with the cause last, and driver errors
// may quote the connection string: the operator gets the cause, on one line, passwords masked.
function oneLine(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines[0]?.startsWith("Invalid `") ? lines.at(-1) : lines[0];
  return redact(line ?? "unknown error");
}
