import { connect } from "@/lib/pg/connect";
import { describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { startWriter, waitForRun, watchRunFrames, useEngineWorld } from "../support/engine-harness";
import { valueDifferences } from "../support/compare-values";
import { scanForSecrets } from "../support/secret-scan";
import { useTestDatabase } from "../support/test-db";

// The default plan end to end: real emulator, real databases, real pg_dump/pg_restore, the sample
// app restarting on the new database, a client writing through the app the whole time. Both
// servers take TLS only: the source's URL names no sslmode (as Heroku's), the target's verifies
// its certificate against its own CA (as RDS recommends); the dataset has the types real apps use.
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 5, workerName: "worker-a" });
let viewer: ReturnType<typeof watchRunFrames>;

const app = () => e.world.sandbox.info.apps[0]!;
const health = async () => (await fetch(`${app().routerUrl}/health`)).json();

async function writesIn(url: string, clientId: string): Promise<Set<number>> {
  const client = await connect(url);
  try {
    const { rows } = await client.query("SELECT seq FROM page_writes WHERE client_id = $1", [clientId]);
    return new Set(rows.map((r) => Number(r.seq)));
  } finally {
    await client.end();
  }
}


describe("a live cutover of the sandbox app", () => {
  let runId: string;

  it("switches the app to the target, loses no acknowledged write, and leaves every value equal", async () => {
    expect(new URL(app().sourceDatabaseUrl).searchParams.get("sslmode")).toBeNull();
    expect(new URL(app().targetDatabaseUrl).searchParams.get("sslmode")).toBe("verify-full");
    expect(new URL(app().targetDatabaseUrl).searchParams.get("sslrootcert")).toMatch(/tls\/target\/ca\.pem$/);
    expect((await health()).database.port).toBe(Number(new URL(app().sourceDatabaseUrl).port));
    const writer = startWriter(app().routerUrl, "cutover-writer");
    await new Promise((r) => setTimeout(r, 500));
    const run = await startRun({ ctx: t.ctx(e.world.operator), input: { cutoverId: e.world.cutoverId, kind: "live" } });
    runId = run.id;
    viewer = watchRunFrames(t, e.worker.wsPort, e.world.cutoverId, run.id);
    const done = await waitForRun(t, run.id, ["succeeded", "needs_attention", "failed"], 240_000);
    await new Promise((r) => setTimeout(r, 500));
    await writer.stop();
    expect(done.status, done.error ?? "").toBe("succeeded");

    const served = await health();
    expect(served.database).toMatchObject({ port: Number(new URL(app().targetDatabaseUrl).port), name: "app" });
    const inTarget = await writesIn(app().targetDatabaseUrl, "cutover-writer");
    const missing = writer.acknowledged.filter((seq) => !inTarget.has(seq));
    expect(writer.acknowledged.length).toBeGreaterThan(10);
    expect(missing, "writes answered 201 but absent from the target").toEqual([]);
    // The source stays frozen after the cutover; only what the app wrote since differs.
    expect(await valueDifferences(app().sourceDatabaseUrl, app().targetDatabaseUrl, { skipTables: ["public.page_writes", "public.worker_events"] })).toEqual([]);

    const steps = await t.db.stepRun.findMany({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
    expect(steps.map((s) => `${s.stepKey}:${s.status}`)).toEqual([
      "preflight:succeeded", "gate:succeeded", "maintenance_on:succeeded", "scale_down:succeeded", "write_freeze:succeeded",
      "copy:succeeded", "verify:succeeded", "switch:succeeded", "restore_formation:succeeded", "maintenance_off:succeeded", "smoke:succeeded",
    ]);
  }, 300_000);

  it("logs every command with a gap-free sequence, audits every Heroku request, and leaks no secret", async () => {
    const lines = await t.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    const text = lines.map((l) => l.text).join("\n");
    expect(text).toContain("$ heroku maintenance:on -a switchyard-demo");
    expect(text).toContain("$ heroku config:set DATABASE_URL=**** -a switchyard-demo");
    expect(text).toMatch(/\$ pg_dump -Fc --section=pre-data --section=post-data /);
    expect(text).toMatch(/^copy: finished \d+ tables, [\d,]+ rows/m);
    expect(text).toMatch(/\$ pg_restore --section=post-data -j \d+ /);
    const requests = await t.db.auditEvent.findMany({ where: { action: "heroku.request", entityId: runId } });
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.every((r) => (r.metadata as { requestId?: string }).requestId)).toBe(true);
    await scanForSecrets(t, [e.world.sandbox.info.apiToken, app().sourceDatabaseUrl, app().targetDatabaseUrl]);
  });

  it("streamed every stored line to a live viewer exactly once, with no secret in any frame", async () => {
    const stored = await t.db.logLine.count({ where: { runId } });
    const deadline = Date.now() + 10_000;
    while (viewer.seqs().length < stored && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    viewer.close();
    expect(viewer.seqs()).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    expect(viewer.frames.some((f) => JSON.parse(f).type === "status")).toBe(true);
    const secrets = [e.world.sandbox.info.apiToken, new URL(app().sourceDatabaseUrl).password, new URL(app().targetDatabaseUrl).password];
    for (const frame of viewer.frames) for (const secret of secrets) expect(frame).not.toContain(secret);
  });

  it("rolls back with one request: the app serves from the source again and can write there", async () => {
    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId, reason: "test rollback" } });
    const done = await waitForRun(t, runId, ["rolled_back", "rollback_failed"], 180_000);
    expect(done.status, done.error ?? "").toBe("rolled_back");
    expect((await health()).database).toMatchObject({ port: Number(new URL(app().sourceDatabaseUrl).port), name: "heroku_db" });
    const res = await fetch(`${app().routerUrl}/api/writes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: "after-rollback", seq: 1 }) });
    expect(res.status).toBe(201);
    expect(await writesIn(app().sourceDatabaseUrl, "after-rollback")).toEqual(new Set([1]));
    const lines = (await t.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
    expect(lines).toMatch(/row\(s\) changed on the target since maintenance went off/);
    const smoke = await t.db.smokeResult.findMany({ where: { runId }, orderBy: { createdAt: "asc" } });
    expect(smoke.map((s) => `${s.phase}:${s.ok}`)).toEqual(["baseline:true", "after_switch:true", "after_rollback:true"]);
    await scanForSecrets(t, [e.world.sandbox.info.apiToken, app().sourceDatabaseUrl, app().targetDatabaseUrl]);
  }, 240_000);
});
