import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateCutover } from "@/lib/cutover/update-cutover";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { buildEngineWorld, queryValue, spawnWorker, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// The target misbehaving: unreachable, wrong password, not empty, restarted in the middle of the
// copy. The step fails saying what to fix, the source is untouched, the app is not left switched,
// and the operator can roll back and retry. Plus two workers at once: one executes the run.
const t = useTestDatabase();
let world: EngineWorld;
const workers: WorkerProcess[] = [];
const app = () => world.sandbox.info.apps[0]!;
const health = async () => (await fetch(`${app().routerUrl}/health`)).json();
// Tables only the dataset writes (the sample app's dynos write events of their own).
const sourceRows = () => queryValue(app().sourceDatabaseUrl, "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products)");

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 30, overwriteTarget: true });
  workers.push(await spawnWorker(t, "worker-a"), await spawnWorker(t, "worker-b"));
}, 180_000);

afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await world?.sandbox.stop();
}, 60_000);

async function withTarget(url: string) {
  const c = await t.db.cutover.findUniqueOrThrow({ where: { id: world.cutoverId } });
  await updateCutover({ ctx: t.ctx(world.operator), input: { cutoverId: c.id, version: c.version, targetDatabaseUrl: url } });
}

async function preflightError(): Promise<string> {
  const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "preflight" } });
  const done = await waitForRun(t, run.id, ["failed", "succeeded"], 120_000);
  expect(done.status).toBe("failed");
  return done.error ?? "";
}

describe("target database faults", () => {
  it("refuses an unreachable target, a wrong password and a non-empty target at preflight, saying what to fix", async () => {
    const target = new URL(app().targetDatabaseUrl);
    const unreachable = new URL(target);
    unreachable.port = "1";
    await withTarget(unreachable.toString());
    expect(await preflightError()).toMatch(/could not connect to 127\.0\.0\.1:1\/app as rds_user: connection refused/);
    const wrong = new URL(target);
    wrong.password = "not-the-password";
    await withTarget(wrong.toString());
    const message = await preflightError();
    expect(message).toMatch(/password authentication failed/);
    expect(message).not.toContain("not-the-password");

    await withTarget(target.toString());
    await t.db.cutover.update({ where: { id: world.cutoverId }, data: { options: {} } });
    await queryValue(target.toString(), "CREATE TABLE leftover (x int)");
    expect(await preflightError()).toMatch(/the target database is not empty \(1 tables\); empty it, or enable "overwrite target"/);
    await queryValue(target.toString(), "DROP TABLE leftover");
    await t.db.cutover.update({ where: { id: world.cutoverId }, data: { options: { overwriteTarget: true } } });
    expect(await health()).toMatchObject({ database: { name: "heroku_db" } });
    expect(world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
  });

  it("fails the copy when the target restarts midway; the app stays on the source; rollback then a retry succeed", async () => {
    // The edits above changed the plan hash: sign it off again for the live runs.
    await signOffAgain();
    const before = await sourceRows();
    const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
    // Rows are streaming (the largest table held back by a lock) when the target goes down.
    const unlock = await holdBackLargestTable(run.id);
    await world.sandbox.restartTarget();
    await unlock();
    const failed = await waitForRun(t, run.id, ["failed", "succeeded", "needs_attention"], 240_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/copy|terminat|connection|server/i);
    const copy = await t.db.stepRun.findFirst({ where: { runId: run.id, stepKey: "copy" }, orderBy: { attempt: "desc" } });
    expect(copy?.status).toBe("failed");
    expect(await t.db.stepRun.count({ where: { runId: run.id, stepKey: "switch" } })).toBe(0);
    // Still in maintenance (the router shows the maintenance page), and still on the source.
    expect(world.sandbox.emulator.effectiveConfig(app().name).DATABASE_URL).toBe(app().sourceDatabaseUrl);
    expect(await sourceRows()).toBe(before);

    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "target restarted" } });
    expect((await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000)).status).toBe("rolled_back");
    expect(world.sandbox.emulator.app(app().name)!.maintenance).toBe(false);
    expect((await health()).database.name).toBe("heroku_db");
    expect(await queryValue(app().sourceDatabaseUrl, "SHOW default_transaction_read_only")).toBe("off");

    const retry = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
    const done = await waitForRun(t, retry.id, ["succeeded", "failed", "needs_attention"], 300_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect((await health()).database.name).toBe("app");
  });

  it("with two workers running, exactly one executes the run: one attempt per step, one claim", async () => {
    const last = await t.db.cutoverRun.findFirstOrThrow({ where: { cutoverId: world.cutoverId }, orderBy: { createdAt: "desc" } });
    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: last.id, reason: "next case" } });
    await waitForRun(t, last.id, ["rolled_back", "rollback_failed"], 180_000);
    const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
    const done = await waitForRun(t, run.id, ["succeeded", "failed", "needs_attention"], 300_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(["worker-a", "worker-b"]).toContain(done.claimedBy);
    const steps = await t.db.stepRun.findMany({ where: { runId: run.id, phase: "forward" } });
    const perKey = new Map<string, number>();
    for (const s of steps) perKey.set(s.stepKey, (perKey.get(s.stepKey) ?? 0) + 1);
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    const claims = await t.db.runTransition.count({ where: { runId: run.id, fromStatus: "queued", toStatus: "running" } });
    expect(claims).toBe(1);
    const seqs = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" }, select: { seq: true } })).map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

async function signOffAgain() {
  const { signOff } = await import("@/lib/signoff/sign-off");
  const c = await t.db.cutover.findUniqueOrThrow({ where: { id: world.cutoverId } });
  const approvers = await t.db.user.findMany({ where: { role: "approver" } });
  for (const a of approvers) {
    await signOff({ ctx: t.ctx({ type: "user", id: a.id, email: a.email, role: "approver" }), input: { cutoverId: c.id, planHash: c.planHash, decision: "approve", comment: "again" } });
  }
}

/**
 * Once the schema is dumped, locks the source's largest table, so its COPY waits while the other
 * lanes stream: the copy is certainly in its data phase when the target restarts.
 */
async function holdBackLargestTable(runId: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 180_000;
  while (!(await t.db.logLine.findFirst({ where: { runId, text: { startsWith: "$ pg_restore --section=pre-data" } } }))) {
    if (Date.now() > deadline) throw new Error("the copy never reached its schema restore");
    await new Promise((r) => setTimeout(r, 10));
  }
  const client = new pg.Client({ connectionString: app().sourceDatabaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  // The write freeze made the source read-only by default; a lock this strong needs a read-write transaction.
  await client.query("BEGIN READ WRITE; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
  await new Promise((r) => setTimeout(r, 1_500));
  return async () => {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  };
}
