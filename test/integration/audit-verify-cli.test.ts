import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { childProcessEnv } from "@/lib/child-env";
import { tamperWithAuditEvent } from "../support/tamper";
import { useTestDatabase } from "../support/test-db";
import { makeCutover } from "../support/fixtures";

const t = useTestDatabase();

function runCli(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], {
    env: childProcessEnv({ PATH: process.env.PATH, HOME: process.env.HOME, ...env }),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe("npm run audit:verify", () => {
  it("reports an intact chain with its length and exits 0", async () => {
    await makeCutover(t.ctx());
    await makeCutover(t.ctx());
    const count = await t.db.auditEvent.count();
    expect(count).toBeGreaterThanOrEqual(4);
    expect(runCli({ DATABASE_URL: t.url })).toEqual({ code: 0, stdout: `audit chain intact: ${count} events`, stderr: "" });
  }, 60_000);

  it("names the first tampered event and exits 1", async () => {
    const target = await t.db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" }, skip: 2 });
    // Only a superuser bypassing the append-only trigger can do this; the chain still catches it.
    await tamperWithAuditEvent(t.db, target.id);
    const before = await t.db.auditEvent.count({ where: { id: { lt: target.id } } });
    expect(runCli({ DATABASE_URL: t.url })).toEqual({
      code: 1,
      stdout: "",
      stderr: `audit chain broken at event ${target.id}: content does not match its hash (${before} events before it verified)`,
    });
  }, 60_000);

  it("a malformed DATABASE_URL gives one line naming it, with the password masked", () => {
    const { code, stderr, stdout } = runCli({ DATABASE_URL: "mysql://admin:s3cret-pass@db.example.com/app" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'audit:verify: DATABASE_URL must start with postgres:// or postgresql://, not mysql:// (got "mysql://admin:****@db.example.com/app")',
    );
  }, 60_000);

  it("a missing DATABASE_URL or an unreachable server is one line too", () => {
    expect(runCli({})).toMatchObject({ code: 1, stderr: "audit:verify: DATABASE_URL is required but not set" });
    const unreachable = runCli({ DATABASE_URL: "postgres://u:s3cret-pass@127.0.0.1:1/db" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^audit:verify failed: [^\n]+$/);
    expect(unreachable.stderr).not.toContain("s3cret-pass");
  }, 60_000);
});
