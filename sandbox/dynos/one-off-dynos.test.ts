import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openLog } from "./dyno-process";
import { OneOffDynos } from "./one-off-dynos";
import { exitStatusOf } from "./one-off-process";

const file = path.join(mkdtempSync(path.join(os.tmpdir(), "one-off-unit-")), "app.log");
const log = openLog(file);
const runner = new OneOffDynos({ app: "unit-app", log, graceMs: 500 });
const request = (command: string, extra: { env?: Record<string, string>; timeToLiveS?: number } = {}) => ({
  command, env: extra.env ?? {}, size: "standard-1X", timeToLiveS: extra.timeToLiveS ?? 60,
  config: { FROM_CONFIG: "config", SHARED: "config" }, release: { id: "r1", version: 1 },
});

afterAll(async () => {
  await runner.stopAll();
  log.end();
});

describe("OneOffDynos", () => {
  it("reports exit statuses as Heroku does", () => {
    expect(exitStatusOf(0, null)).toBe(0);
    expect(exitStatusOf(3, null)).toBe(3);
    expect(exitStatusOf(null, "SIGTERM")).toBe(143);
    expect(exitStatusOf(null, "SIGKILL")).toBe(137);
  });

  it("runs sh -c with the config and env, then logs the exit and the final state", async () => {
    const dyno = await runner.run(request('echo "$FROM_CONFIG $SHARED $DYNO"; test -n "$PORT"', { env: { SHARED: "body" } }));
    expect(dyno.state).toBe("starting");
    await runner.finished(dyno.name);
    expect(runner.get(dyno.name)?.state).toBe("complete");
    const texts = runner.logs.recent({ dyno: dyno.name }, 100).map((l) => `${l.source}: ${l.text}`);
    expect(texts).toEqual([
      "heroku: Starting process with command `echo \"$FROM_CONFIG $SHARED $DYNO\"; test -n \"$PORT\"`",
      "heroku: State changed from starting to up",
      `app: config body ${dyno.name}`,
      "heroku: Process exited with status 0",
      "heroku: State changed from up to complete",
    ]);
    await new Promise((r) => log.write("", r));
    expect(readFileSync(file, "utf8")).toContain(` app[${dyno.name}]: config body ${dyno.name}\n`);
  });

  it("ends the dyno when its main process exits, killing what it left running", async () => {
    const started = Date.now();
    const dyno = await runner.run(request("sleep 30 & echo left-behind; exit 4"));
    await runner.finished(dyno.name);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(runner.get(dyno.name)?.state).toBe("crashed");
    expect(runner.logs.recent({ dyno: dyno.name }, 100).map((l) => l.text)).toContain("Process exited with status 4");
  });

  it("stops a dyno at its time_to_live", async () => {
    const dyno = await runner.run(request("sleep 60", { timeToLiveS: 1 }));
    await runner.finished(dyno.name);
    const texts = runner.logs.recent({ dyno: dyno.name }, 100).map((l) => l.text);
    expect(texts).toContain("Stopping all processes with SIGTERM (time_to_live of 1 s reached)");
    expect(texts).toContain("Process exited with status 143");
    expect(runner.get(dyno.name)?.state).toBe("crashed");
  });

  it("gives every dyno its own run.N name", async () => {
    const dynos = await Promise.all([1, 2, 3].map(() => runner.run(request("true"))));
    expect(new Set(dynos.map((d) => d.name)).size).toBe(3);
    for (const d of dynos) expect(d.name).toMatch(/^run\.\d{4,5}$/);
    await Promise.all(dynos.map((d) => runner.finished(d.name)));
  });
});
