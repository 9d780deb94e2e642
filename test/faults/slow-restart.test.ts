import { describe, expect, it } from "vitest";
import { requestRollback } from "@/lib/run/request-rollback";
import { startWriter, useEngineWorld, waitForRun } from "../support/engine-harness";
import { expectOutcome, runLog, sandboxApp, startLive, waitForEnd } from "../support/fault-kit";
import { useTestDatabase } from "../support/test-db";

// Dynos that take 5 s to boot after every config change, scale-up or restart, as real ones can:
// the API answers at once and the old dyno serves (and writes) until its replacement is up. The
// worker must wait for every dyno to run the new release before maintenance goes off, in the
// cutover and in the rollback; an app let out of maintenance half on the old database loses writes.
const RESTART_MS = 5_000;
const t = useTestDatabase();
const e = useEngineWorld(t, { scaleMb: 3, workerName: "worker-slow-restart", restartMs: RESTART_MS });
const app = () => sandboxApp(e.world);

type Listed = { name: string; type: string; state: string; release: { version: number } };

/** Samples the app while a run goes on: at each moment maintenance is off, what the dynos run. */
function watchMaintenance() {
  const seenOff: Array<{ dynos: string[]; latest: number }> = [];
  let running = true;
  let wasOn = false;
  const loop = (async () => {
    while (running) {
      const on = e.world.sandbox.emulator.app(app().name)!.maintenance;
      if (on) wasOn = true;
      else if (wasOn) {
        const latest = e.world.sandbox.emulator.releases(app().name).at(-1)!.version;
        const res = await fetch(`${e.world.sandbox.info.emulatorUrl}/apps/${app().name}/dynos`, {
          headers: { authorization: `Bearer ${e.world.sandbox.info.apiToken}`, accept: "application/vnd.heroku+json; version=3" },
        });
        const dynos = ((await res.json()) as Listed[]).map((d) => `${d.name}:${d.state}:v${d.release.version}`);
        // Only the moment maintenance went off matters; later samples would see more settled dynos.
        if (!e.world.sandbox.emulator.app(app().name)!.maintenance) seenOff.push({ dynos, latest });
        wasOn = false;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return { seenOff, stop: async () => ((running = false), await loop) };
}

describe(`dynos that take ${RESTART_MS / 1000} s to restart`, () => {
  it("the cutover waits for every dyno to run the new release before maintenance goes off, and so does the rollback", async () => {
    const writer = startWriter(app().routerUrl, "slow-restart-writer");
    const watch = watchMaintenance();
    const run = await startLive(t, e.world.operator, e.world.cutoverId);
    await waitForEnd(t, run.id);
    await expectOutcome(t, e.world, run.id, { status: "succeeded", cutover: "done", appOn: "target", writer });
    const log = await runLog(t, run.id);
    expect(log).toMatch(/waiting for the dynos of switchyard-demo to run release v\d+: web\.1 \(up, v\d+\)/);
    expect(log).toMatch(/all 2 dyno\(s\) of switchyard-demo run release v\d+/);

    await requestRollback({ ctx: t.ctx(e.world.operator), input: { runId: run.id, reason: "slow restart case" } });
    await waitForRun(t, run.id, ["rolled_back", "rollback_failed"], 240_000);
    await writer.stop();
    await watch.stop();
    await expectOutcome(t, e.world, run.id, { status: "rolled_back", cutover: "draft", appOn: "source", writer, strandedOnTarget: true });
    // Once after the cutover, once after the rollback: each time every dyno was up on the latest release.
    expect(watch.seenOff.length).toBeGreaterThanOrEqual(2);
    for (const moment of watch.seenOff) expect(moment.dynos.sort()).toEqual([`web.1:up:v${moment.latest}`, `worker.1:up:v${moment.latest}`]);
  }, 600_000);
});
