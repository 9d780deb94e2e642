import { beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Actor, type Ctx } from "@/lib/context";
import { createCutover } from "@/lib/cutover/create-cutover";
import { listCutovers } from "@/lib/cutover/list-cutovers";
import { DomainError } from "@/lib/errors";
import { addHerokuApp } from "@/lib/heroku-app/add-heroku-app";
import { mintStreamToken } from "@/lib/run/mint-stream-token";
import { requestCancel } from "@/lib/run/request-cancel";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { signOff } from "@/lib/signoff/sign-off";
import { createUser } from "@/lib/user/create-user";
import { makeCutover, makeRun } from "../support/fixtures";
import { useTestDatabase } from "../support/test-db";

const t = useTestDatabase();

type Role = "viewer" | "approver" | "operator" | "admin";
const ROLES: Role[] = ["viewer", "approver", "operator", "admin"];
const TARGET_URL = "postgresql://rds_user:target-pass-42@127.0.0.1:54400/app";

const users = {} as Record<Role, Actor>;
let herokuAppId = "";
let n = 0;

beforeAll(async () => {
  for (const role of ROLES) {
    const u = await createUser({ ctx: t.ctx(), input: { email: `authz-${role}@example.com`, name: `Authz ${role}`, role } });
    users[role] = { type: "user", id: u.id, email: u.email, role };
  }
  herokuAppId = (await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL })).app.id;
});

/** A live run that has started changing the app, so a rollback request would be accepted. */
async function runThatTouchedTheApp() {
  const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL });
  const run = await makeRun(t.ctx(), cutover.id, "running");
  await t.db.stepRun.create({ data: { runId: run.id, stepKey: "maintenance_on", status: "succeeded" } });
  return run;
}

interface VerbCase {
  verb: string;
  /** Written out here independently of lib/auth/permissions.ts. */
  allowed: Role[];
  /** Whether a successful call writes rows (false for reads). */
  writes: boolean;
  /** Prepares what the call acts on (as the trusted test actor) and returns the call, which would succeed if allowed. */
  prepare(): Promise<(ctx: Ctx) => Promise<unknown>>;
}

const VERBS: VerbCase[] = [
  {
    verb: "createCutover",
    allowed: ["operator", "admin"],
    writes: true,
    async prepare() {
      const name = `Authz cutover ${++n}`;
      return (ctx) => createCutover({ ctx, input: { name, herokuAppId, targetDatabaseUrl: TARGET_URL } });
    },
  },
  {
    verb: "listCutovers",
    allowed: ["viewer", "approver", "operator", "admin"],
    writes: false,
    async prepare() {
      return (ctx) => listCutovers({ ctx });
    },
  },
  {
    verb: "addHerokuApp",
    allowed: ["admin"],
    writes: true,
    async prepare() {
      const name = `authz-app-${++n}`;
      return (ctx) => addHerokuApp({ ctx, input: { name, apiBaseUrl: "http://127.0.0.1:5999", apiToken: "heroku-token-abcdef123456" } });
    },
  },
  {
    verb: "createUser",
    allowed: ["admin"],
    writes: true,
    async prepare() {
      const email = `authz-new-${++n}@example.com`;
      return (ctx) => createUser({ ctx, input: { email, name: "New person", role: "viewer" } });
    },
  },
  {
    verb: "signOff",
    allowed: ["approver", "admin"],
    writes: true,
    async prepare() {
      const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL });
      return (ctx) => signOff({ ctx, input: { cutoverId: cutover.id, planHash: cutover.planHash, decision: "approve", comment: "ok" } });
    },
  },
  {
    verb: "startRun",
    allowed: ["operator", "admin"],
    writes: true,
    async prepare() {
      const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL });
      return (ctx) => startRun({ ctx, input: { cutoverId: cutover.id, kind: "preflight" } });
    },
  },
  {
    verb: "requestRollback",
    allowed: ["operator", "admin"],
    writes: true,
    async prepare() {
      const run = await runThatTouchedTheApp();
      return (ctx) => requestRollback({ ctx, input: { runId: run.id, reason: "authz test" } });
    },
  },
  {
    verb: "requestCancel",
    allowed: ["operator", "admin"],
    writes: true,
    async prepare() {
      const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL });
      const run = await makeRun(t.ctx(), cutover.id, "queued");
      return (ctx) => requestCancel({ ctx, input: { runId: run.id, reason: "authz test" } });
    },
  },
  {
    verb: "mintStreamToken",
    allowed: ["viewer", "approver", "operator", "admin"],
    writes: false,
    async prepare() {
      const { cutover } = await makeCutover(t.ctx(), { targetDatabaseUrl: TARGET_URL });
      return (ctx) => mintStreamToken({ ctx, input: { cutoverId: cutover.id } });
    },
  },
];

/** Everything a verb could write: row counts, and the mutable fields of cutovers and runs. */
async function snapshot() {
  const db = t.db;
  const [users, apps, cutovers, planSteps, secrets, signOffs, runs, stepRuns, transitions, audit] = await Promise.all([
    db.user.count(),
    db.herokuApp.count(),
    db.cutover.findMany({ select: { id: true, status: true, version: true, planHash: true, updatedAt: true }, orderBy: { id: "asc" } }),
    db.planStep.count(),
    db.secret.count(),
    db.signOff.count(),
    db.cutoverRun.findMany({
      select: { id: true, status: true, version: true, cancelRequestedAt: true, rollbackRequestedAt: true },
      orderBy: { id: "asc" },
    }),
    db.stepRun.count(),
    db.runTransition.count(),
    db.auditEvent.count(),
  ]);
  return { users, apps, cutovers, planSteps, secrets, signOffs, runs, stepRuns, transitions, audit };
}

async function settle(call: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

const matrix = VERBS.flatMap((c) => ROLES.map((role) => ({ ...c, role, expected: c.allowed.includes(role) ? "allowed" : "forbidden" })));

describe("authorization of every verb × role", () => {
  it("covers each verb once and each role once per verb", () => {
    expect(VERBS.map((v) => v.verb)).toHaveLength(9);
    expect(matrix).toHaveLength(VERBS.length * ROLES.length);
  });

  it.each(matrix)("$verb as $role is $expected", async ({ prepare, role, expected, writes }) => {
    const call = await prepare();
    const before = await snapshot();
    const outcome = await settle(() => call(t.ctx(users[role])));
    const after = await snapshot();
    if (expected === "forbidden") {
      expect(outcome.ok).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "forbidden", message: expect.stringContaining(`your role (${role}) cannot `) });
      expect((error as DomainError).message).toMatch(/ admin can$/);
      expect(after).toEqual(before);
    } else {
      // Past the check; these inputs are valid, so the call goes through (and, for a change, writes).
      if (!outcome.ok) expect((outcome.error as DomainError).code).not.toBe("forbidden");
      expect(outcome).toMatchObject({ ok: true });
      if (writes) {
        expect(after).not.toEqual(before);
        expect(after.audit).toBeGreaterThan(before.audit);
      } else {
        expect(after).toEqual(before);
      }
    }
  });

  it("lets an allowed role past the check even when the input is then rejected", async () => {
    const bogus = "00000000-0000-4000-8000-00000000dead";
    const admin = t.ctx(users.admin);
    await expect(startRun({ ctx: admin, input: { cutoverId: bogus, kind: "live" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(requestCancel({ ctx: admin, input: { runId: "not-a-uuid" } })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(signOff({ ctx: t.ctx(users.approver), input: { cutoverId: bogus, planHash: "0".repeat(64), decision: "approve" } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("checks the role before the input: a forbidden role learns nothing about it", async () => {
    const viewer = t.ctx(users.viewer);
    await expect(requestCancel({ ctx: viewer, input: { runId: "not-a-uuid" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createUser({ ctx: viewer, input: { email: "nope", name: "", role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("system actors", () => {
  it.each(VERBS.map((c) => ({ ...c })))("$verb without a signed-in user (web) is unauthorized and writes nothing", async ({ prepare }) => {
    const call = await prepare();
    const before = await snapshot();
    const outcome = await settle(() => call(t.ctx(systemActor("web"))));
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: unknown }).error).toMatchObject({ code: "unauthorized", message: "sign in first" });
    expect(await snapshot()).toEqual(before);
  });

  it.each(VERBS.filter((c) => c.verb !== "signOff"))("$verb as the trusted test process is allowed", async ({ prepare }) => {
    const call = await prepare();
    await expect(call(t.ctx())).resolves.toBeDefined();
  });

  it("signOff still needs a person, even from a trusted process", async () => {
    const call = await VERBS.find((c) => c.verb === "signOff")!.prepare();
    const before = await snapshot();
    await expect(call(t.ctx(systemActor("worker")))).rejects.toMatchObject({ code: "forbidden", message: "only a person can sign off" });
    expect(await snapshot()).toEqual(before);
  });
});
