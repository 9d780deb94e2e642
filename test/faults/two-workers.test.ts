import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCutover } from "@/lib/cutover/create-cutover";
import { createPool } from "@/lib/pg/connect";
import { startRun } from "@/lib/run/start-run";
import { RUN_QUEUE } from "@/worker/engine/dispatcher";
import { buildEngineWorld, spawnWorker, startWriter, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { expectOutcome, query, sandboxApp, waitForEnd, waitUntil } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// Two workers running at once, several runs queued together, and the queue handing the same live
// run out again and again while it runs: each run is claimed once, executed by one worker, every
// step attempted once; the other worker's copies of the job find the run's lock taken.
const t = useTestDatabase();
let world: EngineWorld;
const workers: WorkerProcess[] = [];
const WORKERS = ["worker-a", "worker-b"];

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 3 });
  workers.push(...(await Promise.all(WORKERS.map((name) => spawnWorker(t, name)))));
}, 180_000);

afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await world?.sandbox.stop();
}, 60_000);

/** One claim, by the worker that holds it; nobody resumed it; each step attempted once, one after another. */
async function expectOneExecutor(runId: string) {
  const run = await t.db.cutoverRun.findUniqueOrThrow({ where: { id: runId } });
  expect(WORKERS).toContain(run.claimedBy);
  const claims = await t.db.runTransition.findMany({ where: { runId, stepRunId: null, fromStatus: "queued", toStatus: "running" } });
  expect(claims.map((c) => c.reason)).toEqual([`claimed by ${run.claimedBy}`]);
  for (const w of workers) expect(w.lines.filter((l) => l.includes(`resuming run ${runId}`)), "a takeover").toEqual([]);
  const steps = await t.db.stepRun.findMany({ where: { runId }, orderBy: { createdAt: "asc" } });
  expect(steps.length).toBeGreaterThan(0);
  expect(steps.filter((s) => s.attempt !== 1 || !["succeeded", "skipped"].includes(s.status)).map((s) => `${s.stepKey}:${s.attempt}:${s.status}`)).toEqual([]);
  expect(new Set(steps.map((s) => `${s.phase}:${s.stepKey}`)).size).toBe(steps.length);
  // One executor at a time: no attempt starts before the previous one finished.
  const ran = steps.filter((s) => s.startedAt && s.finishedAt);
  for (let i = 1; i < ran.length; i++) expect(ran[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(ran[i - 1]!.finishedAt!.getTime());
}

describe("two workers at once", () => {
  it("share several queued runs: each is claimed and executed by exactly one of them", async () => {
    const app = sandboxApp(world);
    const cutovers = [world.cutoverId];
    for (let i = 0; i < 4; i++) {
      const c = await createCutover({ ctx: t.ctx(world.operator), input: { name: `queued ${i}`, herokuAppId: world.herokuAppId, targetDatabaseUrl: app.targetDatabaseUrl, smokeChecks: [{ url: `${app.routerUrl}/health`, expectStatus: 200 }] } });
      cutovers.push(c.id);
    }
    const runs = [];
    for (const cutoverId of cutovers) runs.push(await startRun({ ctx: t.ctx(world.operator), input: { cutoverId, kind: "preflight" } }));
    for (const run of runs) {
      const done = await waitForEnd(t, run.id, 180_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      await expectOneExecutor(run.id);
    }
  });

  it("execute a live run once, however often the queue hands it out", async () => {
    // Over our pool, as the dispatcher does: pg-boss's own pool would not negotiate TLS.
    const pool = createPool(t.url, { max: 2 });
    const boss = new PgBoss({ db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) }, schema: "pgboss", supervise: false, schedule: false, migrate: false });
    boss.on("error", () => undefined);
    await boss.start();
    const writer = startWriter(sandboxApp(world).routerUrl, "two-workers-writer");
    const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
    // While it runs, the same job again and again (as a lost heartbeat or a second sweep would).
    let injecting = true;
    const injector = (async () => {
      while (injecting) {
        await boss.send(RUN_QUEUE, { runId: run.id }, { singletonKey: run.id }).catch(() => null);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      await waitForEnd(t, run.id);
    } finally {
      injecting = false;
      await injector;
      await writer.stop();
      await boss.stop({ graceful: false, wait: true });
      await pool.end();
    }
    await expectOutcome(t, world, run.id, { status: "succeeded", cutover: "done", appOn: "target", writer });
    await expectOneExecutor(run.id);
    // The duplicates were really handed to a worker (executeRun ran for each, found the lock taken, did nothing).
    const handled = await waitUntil("the duplicate jobs are handled", async () => {
      const [row] = await query<{ done: number; open: number }>(
        t.url,
        `SELECT count(*) FILTER (WHERE state = 'completed')::int AS done, count(*) FILTER (WHERE state IN ('created', 'retry', 'active'))::int AS open
           FROM pgboss.job WHERE name = $1 AND data->>'runId' = $2`,
        [RUN_QUEUE, run.id],
      );
      return row!.open === 0 && row!.done;
    }, 60_000);
    expect(handled).toBeGreaterThan(2);
  });
});
