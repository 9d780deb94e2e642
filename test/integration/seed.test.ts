import { describe, expect, it } from "vitest";
import { listCutovers } from "@/lib/cutover/list-cutovers";
import { readSecret } from "@/lib/security/secret-store";
import { DEMO_USERS, seedDemo } from "@/lib/seed/demo-seed";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();
const sandbox = {
  emulatorUrl: "http://127.0.0.1:5999",
  apiToken: "sandbox-token-0123456789",
  appName: "switchyard-demo",
  targetDatabaseUrl: "postgresql://rds_user:target-pass-42@127.0.0.1:54400/app",
  routerUrl: "http://127.0.0.1:5998/apps/switchyard-demo",
};

describe("demo seed", () => {
  it("creates one user per role, the sandbox app and a draft cutover, and is idempotent", async () => {
    const first = await seedDemo({ ctx: t.ctx(), input: sandbox });
    const second = await seedDemo({ ctx: t.ctx(), input: sandbox });
    expect(second).toEqual(first);
    const users = await t.db.user.findMany({ orderBy: { email: "asc" } });
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(["admin", "operator", "approver", "viewer"]));
    const accounts = await t.db.account.findMany({ where: { providerId: "credential" } });
    expect(accounts).toHaveLength(users.length);
    expect(accounts.every((a) => a.password?.startsWith("scrypt$"))).toBe(true);
    const list = await listCutovers({ ctx: t.ctx() });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: "draft", appName: "switchyard-demo", approvals: 0, requiredApprovals: 2, latestRun: null });
  });

  it("keeps the token and target URL sealed: readable with the key, absent in clear from every table", async () => {
    const ctx = t.ctx();
    const app = await t.db.herokuApp.findFirstOrThrow();
    const cutover = await t.db.cutover.findFirstOrThrow({ include: { steps: { orderBy: { position: "asc" } } } });
    expect(await readSecret(t.db, ctx.secretKey, app.apiTokenSecretId)).toBe(sandbox.apiToken);
    expect(await readSecret(t.db, ctx.secretKey, cutover.targetDatabaseSecretId!)).toBe(sandbox.targetDatabaseUrl);
    expect(cutover.targetDatabaseDisplay).toBe("postgresql://rds_user:****@127.0.0.1:54400/app");
    expect(cutover.steps.map((s) => s.key)).toEqual([
      "preflight", "gate", "maintenance_on", "scale_down", "write_freeze", "copy", "verify", "switch",
      "restore_formation", "maintenance_off", "smoke",
    ]);
    const dump = JSON.stringify(
      await t.db.$queryRawUnsafe(`SELECT (SELECT json_agg(c) FROM cutovers c) AS c, (SELECT json_agg(h) FROM heroku_apps h) AS h,
        (SELECT json_agg(a) FROM audit_events a) AS a, (SELECT json_agg(s) FROM plan_steps s) AS s`),
    );
    expect(dump).not.toContain("target-pass-42");
    expect(dump).not.toContain(sandbox.apiToken);
  });
});
