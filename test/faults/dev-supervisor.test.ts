import { childProcessEnv } from "@/lib/child-env";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnChild, stopChild, type Child } from "@/scripts/dev/children";
import { createProcessList, processListFile } from "@/scripts/dev/processes";
import { supervise } from "@/scripts/dev/supervise";
import { waitUntil } from "../support/fault-kit";
import { descendants, isAlive } from "../support/process-tree";

// The dev orchestrator's supervision, with real processes: a child killed with SIGKILL is started
// again (after clearing its process group, where a grandchild would hold the port), the process
// list follows; after too many crashes in a row it gives up; once released, nothing restarts.
// (e2e/web-restart.spec.ts kills the real `next dev` of `npm run dev` mid-run.)
const IDLE = ["-e", "require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)"];

function start(): Child {
  return spawnChild("idler", process.execPath, IDLE, childProcessEnv({ PATH: process.env.PATH }));
}

describe("npm run dev's supervisor", () => {
  it("restarts a child killed with SIGKILL, clears its process group, records the new pid, and stops for good when released", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "switchyard-supervisor-"));
    const list = createProcessList(home);
    const said: string[] = [];
    const gaveUp: string[] = [];
    const sup = supervise({ name: "idler", start, say: (l) => said.push(l), onStart: (c, n) => list.record("idler", c.process.pid!, n), onGiveUp: (r) => gaveUp.push(r) });
    const recorded = () => JSON.parse(readFileSync(processListFile(home), "utf8")).children.idler as { pid: number; restarts: number };
    const first = sup.current();
    expect(recorded()).toMatchObject({ pid: first.process.pid, restarts: 0 });
    // The grandchild, in the same process group: what a killed `next` leaves holding its port.
    const grandchild = await waitUntil("the child has started its own child", () => descendants(first.process.pid!)[0], 10_000);

    process.kill(first.process.pid!, "SIGKILL");
    await waitUntil("a new child is running", () => sup.current() !== first, 20_000);
    expect(isAlive(grandchild), "the killed child's group was cleared").toBe(false);
    expect(recorded()).toMatchObject({ pid: sup.current().process.pid, restarts: 1 });
    expect(said).toEqual([expect.stringMatching(/^idler exited unexpectedly \(signal SIGKILL\); restarting it in 1 s \(restart 1 of 5\)$/)]);
    expect(gaveUp).toEqual([]);

    sup.release();
    const last = sup.current();
    await stopChild(last);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sup.current(), "released: no restart after a deliberate stop").toBe(last);
    list.remove();
    expect(() => readFileSync(processListFile(home))).toThrow();
  });

  it("gives up after too many crashes in a row, so a child that cannot start does not loop forever", async () => {
    const gaveUp: string[] = [];
    const crashing = () => spawnChild("crasher", process.execPath, ["-e", "process.exit(3)"], childProcessEnv({ PATH: process.env.PATH }));
    supervise({ name: "crasher", start: crashing, say: () => undefined, onStart: () => undefined, onGiveUp: (r) => gaveUp.push(r), maxRestarts: 2 });
    await waitUntil("the supervisor gives up", () => gaveUp.length > 0, 20_000);
    expect(gaveUp).toEqual(["crasher exited unexpectedly (code 3) 3 times in a row; giving up"]);
  });
});
