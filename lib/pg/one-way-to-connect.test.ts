import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every connection goes through lib/pg/connect.ts, so TLS is negotiated one way (libpq's) everywhere.
const ROOT = path.resolve(__dirname, "../..");
const ALLOWED = new Set(["lib/pg/connect.ts"]);
const OPENS_DIRECTLY = /new\s+(?:pg\.)?(?:Client|Pool)\s*\(|\bpg\.native\b/;

const SOURCE_DIRS = ["app", "lib", "worker", "sandbox", "scripts", "test", "e2e", "bench", "prisma"];
const SOURCE = /\.(ts|tsx|mjs|cjs|js)$/;

function trackedSources(): string[] {
  const files = SOURCE_DIRS.filter((d) => existsSync(path.join(ROOT, d))).flatMap((dir) =>
    (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f).split(path.sep).join("/")),
  );
  return files.filter((f) => SOURCE.test(f) && !f.startsWith("lib/generated/"));
}

describe("one way to connect", () => {
  it("opens PostgreSQL connections only in lib/pg/connect.ts", () => {
    const offenders = trackedSources().filter((file) => {
      if (ALLOWED.has(file) || file === "lib/pg/one-way-to-connect.test.ts") return false;
      const text = readFileSync(path.join(ROOT, file), "utf8");
      // Only files that use node-postgres at all: `new Client(` of another library is not ours to judge.
      return /from\s+["']pg["']/.test(text) && OPENS_DIRECTLY.test(text);
    });
    expect(offenders, "use connect()/createPool()/withClient() from @/lib/pg/connect").toEqual([]);
  });

  it("hands libraries that would open their own pools (pg-boss, Prisma's adapter) one of ours instead of a URL", () => {
    const OWN_POOL_FROM_URL = /new\s+(?:PgBoss|PrismaPg)\s*\(\s*\{[^}]*\bconnectionString\b|new\s+(?:PgBoss|PrismaPg)\s*\(\s*["'`a-zA-Z_.]+\s*[,)]/;
    const offenders = trackedSources().filter((file) => file !== "lib/pg/one-way-to-connect.test.ts" && OWN_POOL_FROM_URL.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders, "pass { db: { executeSql } } to PgBoss and a pool from createPool() to PrismaPg").toEqual([]);
  });
});
