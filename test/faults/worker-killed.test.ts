import { readdirSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { buildEngineWorld, spawnWorker, startWriter, waitForRun, type EngineWorld, type WorkerProcess, type Writer } from "../support/engine-harness";
import { emptyTarget, expectOutcome, forwardAttempts, pinCopyInDataPhase, pinVerify, startLive, waitForEnd, waitForStep, waitUntil } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// A worker killed with SIGKILL during each long step in turn (copy, verify, smoke), held there by
// a lock or a slow page so the kill certainly lands mid-step: a new worker takes the run over,
// never repeats a completed step, runs the interrupted one again and finishes; the log has no gap
// and no duplicate; every write the app acknowledged is in the target; then a rollback from
// "succeeded" brings the app back to the source.
const t = useTestDatabase();
let world: EngineWorld;
let slowSite: http.Server;
let holdingSmoke = false;
const heldRequests: Array<() => void> = [];
const workers: WorkerProcess[] = [];
const app = () => world.sandbox.info.apps[0]!;

beforeAll(async () => {
  // A second smoke URL that, while held, answers only when the test lets it.
  slowSite = http.createServer((_req, res) => {
    const answer = () => void (res.headersSent || res.destroyed || res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
    if (holdingSmoke) heldRequests.push(answer);
    else answer();
  });
  await new Promise<void>((r) => slowSite.listen(0, "127.0.0.1", r));
  const slowUrl = `http://127.0.0.1:${(slowSite.address() as net.AddressInfo).port}/slow`;
  world = await buildEngineWorld(t, { scaleMb: 3, smokeChecks: [{ url: slowUrl, expectStatus: 200, maxLatencyMs: 60_000 }] });
}, 180_000);

afterAll(async () => {
  for (const answer of heldRequests.splice(0)) answer();
  for (const w of workers) w.child.kill("SIGKILL");
  slowSite?.closeAllConnections();
  slowSite?.close();
  await world?.sandbox.stop();
}, 60_000);

type Release = () => Promise<void> | void;

// Each returns once the step is certainly running and waiting on us, and how to let it go.
const HOLD: Record<string, (runId: string) => Promise<Release>> = {
  copy: async (runId) => (await pinCopyInDataPhase(t, world, runId)).release,
  verify: async (runId) => (await pinVerify(t, world, runId)).release,
  smoke: async (runId) => {
    // After the baseline (taken in preflight), only the smoke step calls this page.
    await waitForStep(t, runId, "preflight", "succeeded");
    holdingSmoke = true;
    await waitUntil("the smoke step's request to the held page arrives", () => heldRequests.length > 0);
    await waitForStep(t, runId, "smoke", "running");
    return () => {
      holdingSmoke = false;
      for (const answer of heldRequests.splice(0)) answer();
    };
  },
};

const PLAN = ["preflight", "gate", "maintenance_on", "scale_down", "write_freeze", "copy", "verify", "switch", "restore_formation", "maintenance_off", "smoke"];

describe("a worker killed during a long step", () => {
  for (const key of ["copy", "verify", "smoke"]) {
    it(`during ${key}: another worker completes the cutover without running a completed step again`, async () => {
      await emptyTarget(world);
      const doomed = await spawnWorker(t, `worker-doomed-${key}`);
      workers.push(doomed);
      const writer = startWriter(app().routerUrl, `crash-writer-${key}`);
      const run = await startLive(t, world.operator, world.cutoverId);
      const release = await HOLD[key]!(run.id);
      expect(await t.db.stepRun.count({ where: { runId: run.id, stepKey: key, status: "running" } })).toBe(1);
      doomed.child.kill("SIGKILL");
      await doomed.exited;
      await release();

      const rescuer = await spawnWorker(t, `worker-rescuer-${key}`);
      workers.push(rescuer);
      try {
        await finishAndRollBack(run.id, key, doomed, rescuer, writer);
      } finally {
        await writer.stop();
        rescuer.child.kill("SIGTERM");
        await rescuer.exited;
      }
    });
  }
});

async function finishAndRollBack(runId: string, key: string, doomed: WorkerProcess, rescuer: WorkerProcess, writer: Writer) {
  const done = await waitForEnd(t, runId);
  await writer.stop();
  expect(done.claimedBy).toBe(`worker-rescuer-${key}`);
  expect(rescuer.lines.some((l) => l.includes(`resuming run ${runId} (running), last held by worker-doomed-${key}`))).toBe(true);
  expect(await forwardAttempts(t, runId)).toEqual(PLAN.flatMap((k) => (k === key ? [`${k}:abandoned`, `${k}:succeeded`] : [`${k}:succeeded`])));
  await expectOutcome(t, world, runId, { status: "succeeded", cutover: "done", appOn: "target", writer });

  const deadPid = doomed.child.pid!;
  const left = readdirSync(os.tmpdir()).filter((e) => e.startsWith(`switchyard-pgpass-${deadPid}-`) || e.startsWith(`switchyard-dump-${deadPid}-`));
  expect(left, "the dead worker's password file and work folder are removed").toEqual([]);

  // Rollback from "succeeded": back to the source for the next case.
  await requestRollback({ ctx: t.ctx(world.operator), input: { runId, reason: "next case" } });
  await waitForRun(t, runId, ["rolled_back", "rollback_failed"], 180_000);
  await expectOutcome(t, world, runId, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget: true });
}
