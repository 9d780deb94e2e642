import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { dbClient, emptyTarget, expectOutcome, forwardAttempts, query, runLog, sandboxApp, signedCutover, startLive, waitForEnd, waitForStep, waitUntil } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// Writes that maintenance mode does not stop: the sample app's worker dyno (it writes a row every
// second, maintenance or not) and clients connected straight to the database. The default plan
// scales the dynos away; what still writes makes the write-freeze step refuse to copy, naming it;
// a straggler after the freeze fails loudly on a read-only source. Never a silent loss.
const t = useTestDatabase();
let world: EngineWorld;
let worker: WorkerProcess;
const app = () => sandboxApp(world);

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 3 });
  worker = await spawnWorker(t, "worker-stray");
}, 180_000);

afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await world?.sandbox.stop();
}, 60_000);

const ids = async (url: string, table: string) => new Set((await query<{ id: string }>(url, `SELECT id::text FROM ${table}`)).map((r) => r.id));

/** A client that is not a dyno (a cron job on another host, say), inserting straight into the source. */
function directWriter(applicationName: string) {
  const committed: number[] = [];
  let running = true;
  const loop = (async () => {
    const url = new URL(app().sourceDatabaseUrl);
    url.searchParams.set("application_name", applicationName);
    const client = await dbClient(url.toString());
    for (let seq = 1; running; seq++) {
      try {
        await client.query("INSERT INTO page_writes (client_id, seq) VALUES ($1, $2)", [applicationName, seq]);
        committed.push(seq);
      } catch {
        break; // ended by the write freeze, or refused by the read-only source: loud, and not acknowledged
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await client.end().catch(() => undefined);
  })();
  return { committed, stop: async () => ((running = false), await loop) };
}

describe("writes that maintenance mode does not stop", () => {
  it("the default plan scales the worker dyno away: everything it wrote is copied, and it writes to the target after", async () => {
    const writer = startWriter(app().routerUrl, "stray-default-writer");
    const bystander = await dbClient(app().sourceDatabaseUrl); // connected before the freeze, idle
    const run = await startLive(t, world.operator, world.cutoverId);
    await waitForStep(t, run.id, "write_freeze", "succeeded");
    // A straggler fails loudly: the old session was ended, and a new one finds the source read-only.
    await expect(bystander.query("INSERT INTO page_writes (client_id, seq) VALUES ('straggler', 1)")).rejects.toThrow(/terminat|connection/i);
    const late = await dbClient(app().sourceDatabaseUrl);
    await expect(late.query("INSERT INTO page_writes (client_id, seq) VALUES ('straggler', 2)")).rejects.toMatchObject({ code: "25006", message: "cannot execute INSERT in a read-only transaction" });
    await late.end();
    const frozen = await ids(app().sourceDatabaseUrl, "worker_events");
    await waitForEnd(t, run.id);
    await writer.stop();
    await expectOutcome(t, world, run.id, { status: "succeeded", cutover: "done", appOn: "target", writer });

    const log = await runLog(t, run.id);
    expect(log).toMatch(/scaled worker \(1\) to 0/);
    expect(log).toMatch(/write freeze: no row changes and no writing sessions on the source/);
    const onTarget = await ids(app().targetDatabaseUrl, "worker_events");
    expect([...frozen].filter((id) => !onTarget.has(id)), "worker rows left behind").toEqual([]);
    expect(await query(app().sourceDatabaseUrl, "SELECT 1 FROM page_writes WHERE client_id = 'straggler'")).toEqual([]);
    // The worker dyno is back, writing to the target.
    await waitUntil("the worker dyno writes to the target", async () => (await ids(app().targetDatabaseUrl, "worker_events")).size > onTarget.size, 60_000);

    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "next case" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await expectOutcome(t, world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget: true });
  });

  it("a plan that leaves the worker dyno running: the write freeze refuses to copy, naming it", async () => {
    await emptyTarget(world);
    const cutoverId = await signedCutover(t, world);
    // An older plan without the scale-down step (written to the plan's rows as a fixture; its hash and sign-offs stand).
    await t.db.planStep.deleteMany({ where: { cutoverId, key: "scale_down" } });
    const writer = startWriter(app().routerUrl, "stray-dyno-writer");
    const run = await startLive(t, world.operator, cutoverId);
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^the source still takes writes: \d+ row change\(s\) in 3000 ms from switchyard-sample@127\.0\.0\.1 \(pid \d+\)(, [^;]+)?; stop those clients \(scale their dynos to 0\) and retry$/);
    // Refused for good (a named writer is not a glitch to retry), before anything was copied.
    expect((await forwardAttempts(t, run.id)).slice(-2)).toEqual(["maintenance_on:succeeded", "write_freeze:failed"]);
    expect(await t.db.stepRun.count({ where: { runId: run.id, stepKey: "copy" } }), "nothing was copied").toBe(0);
    const before = await ids(app().sourceDatabaseUrl, "worker_events");
    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "worker still writing" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await writer.stop();
    await expectOutcome(t, world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer });
    const after = await ids(app().sourceDatabaseUrl, "worker_events");
    expect([...before].filter((id) => !after.has(id)), "nothing the dyno wrote is lost").toEqual([]);
  });

  it("a client connected straight to the database: the write freeze refuses to copy, naming it, and keeps its rows", async () => {
    await emptyTarget(world);
    const writer = startWriter(app().routerUrl, "stray-direct-writer");
    const direct = directWriter("nightly-import");
    const run = await startLive(t, world.operator, world.cutoverId);
    const failed = await waitForEnd(t, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^the source still takes writes: \d+ row change\(s\) in 3000 ms from nightly-import@127\.0\.0\.1 \(pid \d+\)(, [^;]+)?; stop those clients/);
    expect(await t.db.stepRun.count({ where: { runId: run.id, stepKey: "copy" } })).toBe(0);
    await direct.stop();
    await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "direct writer" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000);
    await writer.stop();
    await expectOutcome(t, world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer });
    const kept = new Set((await query<{ seq: number }>(app().sourceDatabaseUrl, "SELECT seq FROM page_writes WHERE client_id = 'nightly-import'")).map((r) => Number(r.seq)));
    expect(direct.committed.length).toBeGreaterThan(0);
    expect(direct.committed.filter((s) => !kept.has(s)), "committed rows of the direct client").toEqual([]);
  });
});
