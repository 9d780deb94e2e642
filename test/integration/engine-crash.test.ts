import { readdirSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRun } from "@/lib/run/start-run";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// A worker killed with SIGKILL in the middle of the copy: a new worker takes the run over,
// never repeats a completed step, restarts the copy on an emptied target, and finishes.
const t = useTestDatabase();
let world: EngineWorld;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 40 });
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await world?.sandbox.stop();
}, 60_000);

async function waitForRunningStep(runId: string, key: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const step = await t.db.stepRun.findFirst({ where: { runId, stepKey: key, status: "running" } });
    if (step) return step;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`step ${key} did not start within ${timeoutMs} ms`);
}

describe("a worker killed during the copy", () => {
  it("is replaced by another worker that completes the cutover without running any step twice", async () => {
    const app = world.sandbox.info.apps[0]!;
    workers.push(await spawnWorker(t, "worker-doomed"));
    const writer = startWriter(app.routerUrl, "crash-writer");
    const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
    await waitForRunningStep(run.id, "copy", 120_000);
    await new Promise((r) => setTimeout(r, 700));
    workers[0]!.child.kill("SIGKILL");
    await workers[0]!.exited;
    workers.push(await spawnWorker(t, "worker-rescuer"));
    const done = await waitForRun(t, run.id, ["succeeded", "needs_attention", "failed"], 240_000);
    await writer.stop();
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.claimedBy).toBe("worker-rescuer");

    const steps = await t.db.stepRun.findMany({ where: { runId: run.id }, orderBy: [{ createdAt: "asc" }] });
    const byKey = (key: string) => steps.filter((s) => s.stepKey === key).map((s) => s.status);
    for (const key of ["preflight", "gate", "maintenance_on", "scale_down", "write_freeze"]) expect(byKey(key), key).toEqual(["succeeded"]);
    expect(byKey("copy")).toEqual(["abandoned", "succeeded"]);
    for (const key of ["verify", "switch", "restore_formation", "maintenance_off", "smoke"]) expect(byKey(key), key).toEqual(["succeeded"]);

    const deadPid = workers[0]!.child.pid!;
    const left = readdirSync(os.tmpdir()).filter((e) => e.startsWith(`switchyard-pgpass-${deadPid}-`) || e.startsWith(`switchyard-dump-${deadPid}-`));
    expect(left, "the dead worker's password file and dump folder are removed").toEqual([]);

    const seqs = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" }, select: { seq: true } })).map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    const client = new pg.Client({ connectionString: app.targetDatabaseUrl });
    await client.connect();
    const { rows } = await client.query("SELECT seq FROM page_writes WHERE client_id = 'crash-writer'");
    await client.end();
    const inTarget = new Set(rows.map((r) => Number(r.seq)));
    expect(writer.acknowledged.filter((s) => !inTarget.has(s))).toEqual([]);
  }, 400_000);
});
