import { readdirSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { startRun } from "@/lib/run/start-run";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess } from "../support/engine-harness";
import { useTestDatabase } from "../support/test-db";

// A worker killed with SIGKILL during each long step in turn (copy, verify, smoke): a new worker
// takes the run over, never repeats a completed step, re-runs the interrupted one, and finishes;
// every write the app acknowledged is in the target; the log has no gap and no duplicate.
const t = useTestDatabase();
let world: EngineWorld;
let slowSite: http.Server;
let releaseSlow: () => void = () => undefined;
let holdingSmoke = false;
const workers: WorkerProcess[] = [];
const app = () => world.sandbox.info.apps[0]!;

beforeAll(async () => {
  world = await buildEngineWorld(t, { scaleMb: 20, overwriteTarget: true });
  // A smoke URL that, while held, answers only when the test lets it: the smoke step is then certainly running.
  slowSite = http.createServer((_req, res) => {
    const answer = () => res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    if (!holdingSmoke) return answer();
    const previous = releaseSlow;
    releaseSlow = () => (previous(), answer());
  });
  await new Promise<void>((r) => slowSite.listen(0, "127.0.0.1", r));
  const cutover = await t.db.cutover.findUniqueOrThrow({ where: { id: world.cutoverId } });
  const slowUrl = `http://127.0.0.1:${(slowSite.address() as net.AddressInfo).port}/slow`;
  // Written straight to the row, as a fixture: the approvals of the plan hash stay valid.
  await t.db.cutover.update({ where: { id: cutover.id }, data: { smokeChecks: [...(cutover.smokeChecks as object[]), { url: slowUrl, expectStatus: 200, maxLatencyMs: 60_000, imagesLoad: false }] } });
}, 180_000);

afterAll(async () => {
  releaseSlow();
  for (const w of workers) w.child.kill("SIGKILL");
  slowSite?.closeAllConnections();
  slowSite?.close();
  await world?.sandbox.stop();
}, 60_000);

async function waitForStep(runId: string, key: string, status: "running" | "succeeded", timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await t.db.stepRun.findFirst({ where: { runId, stepKey: key, status, phase: "forward" } })) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`step ${key} was not ${status} within ${timeoutMs} ms`);
}

/** Holds an exclusive lock on a source table: the verify step's count waits on it. */
async function lockSourceTable(): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: app().sourceDatabaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  // The write freeze made the source read-only by default; a lock this strong needs a read-write transaction.
  await client.query("BEGIN READ WRITE; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
  return async () => {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  };
}

const HOLD_UP: Record<string, (runId: string) => Promise<() => Promise<void> | void>> = {
  // The copy of 20 MB takes long enough to be caught while it runs.
  copy: async (runId) => {
    await waitForStep(runId, "copy", "running");
    await new Promise((r) => setTimeout(r, 500));
    return () => undefined;
  },
  verify: async (runId) => {
    await waitForStep(runId, "copy", "succeeded");
    const release = await lockSourceTable();
    await waitForStep(runId, "verify", "running");
    await new Promise((r) => setTimeout(r, 300));
    return release;
  },
  smoke: async (runId) => {
    await waitForStep(runId, "switch", "succeeded");
    holdingSmoke = true;
    await waitForStep(runId, "smoke", "running");
    await new Promise((r) => setTimeout(r, 300));
    return () => {
      holdingSmoke = false;
      releaseSlow();
    };
  },
};

describe("a worker killed during a long step", () => {
  for (const key of ["copy", "verify", "smoke"]) {
    it(`during ${key}: another worker completes the cutover without running a completed step again`, async () => {
      const doomed = await spawnWorker(t, `worker-doomed-${key}`);
      workers.push(doomed);
      const writer = startWriter(app().routerUrl, `crash-writer-${key}`);
      const run = await startRun({ ctx: t.ctx(world.operator), input: { cutoverId: world.cutoverId, kind: "live" } });
      const release = await HOLD_UP[key]!(run.id);
      doomed.child.kill("SIGKILL");
      await doomed.exited;
      await release();
      const rescuer = await spawnWorker(t, `worker-rescuer-${key}`);
      workers.push(rescuer);
      const done = await waitForRun(t, run.id, ["succeeded", "needs_attention", "failed"], 300_000);
      await writer.stop();
      expect(done.status, done.error ?? "").toBe("succeeded");
      expect(done.claimedBy).toBe(`worker-rescuer-${key}`);

      const steps = await t.db.stepRun.findMany({ where: { runId: run.id, phase: "forward" }, orderBy: [{ createdAt: "asc" }] });
      const byKey = (k: string) => steps.filter((s) => s.stepKey === k).map((s) => s.status);
      const order = ["preflight", "gate", "maintenance_on", "scale_down", "write_freeze", "copy", "verify", "switch", "restore_formation", "maintenance_off", "smoke"];
      for (const k of order) expect(byKey(k), k).toEqual(k === key ? ["abandoned", "succeeded"] : ["succeeded"]);

      const deadPid = doomed.child.pid!;
      const left = readdirSync(os.tmpdir()).filter((e) => e.startsWith(`switchyard-pgpass-${deadPid}-`) || e.startsWith(`switchyard-dump-${deadPid}-`));
      expect(left, "the dead worker's password file and work folder are removed").toEqual([]);
      const seqs = (await t.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" }, select: { seq: true } })).map((l) => l.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const health = await (await fetch(`${app().routerUrl}/health`)).json();
      expect(health.database.name).toBe("app");

      const client = new pg.Client({ connectionString: app().targetDatabaseUrl });
      await client.connect();
      const { rows } = await client.query("SELECT seq FROM page_writes WHERE client_id = $1", [`crash-writer-${key}`]);
      await client.end();
      const inTarget = new Set(rows.map((r) => Number(r.seq)));
      expect(writer.acknowledged.length).toBeGreaterThan(0);
      expect(writer.acknowledged.filter((s) => !inTarget.has(s))).toEqual([]);
      const audit = await t.db.auditEvent.findMany({ where: { entityId: run.id, action: "run.transition" } });
      expect(audit.length).toBeGreaterThan(0);

      // Back to the source for the next case; the target is overwritten by the next copy.
      await requestRollback({ ctx: t.ctx(world.operator), input: { runId: run.id, reason: "next case" } });
      expect((await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 180_000)).status).toBe("rolled_back");
      rescuer.child.kill("SIGTERM");
      await rescuer.exited;
    });
  }
});
