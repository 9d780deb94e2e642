// The state file: saved atomically (0600, no temp files left) after each mutation, loaded on
// start so a restart keeps everything; reset, seeding and the admin dump.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHerokuEmulator } from "@/sandbox/heroku/server";
import { MYAPP, RDS_URL, TOKEN, startHarness } from "./harness";

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "heroku-emu-persist-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe("persistence", () => {
  it("keeps apps, config, attachments, releases and formation across a restart", async () => {
    const first = await startHarness({ dir, seed: [MYAPP] });
    await first.api("PATCH", "/apps/myapp", { body: { maintenance: true } });
    const db = (await first.api("GET", "/apps/myapp/addon-attachments/DATABASE")).body.id;
    await first.api("DELETE", `/addon-attachments/${db}`);
    await first.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: RDS_URL } });
    await first.api("PATCH", "/apps/myapp/formation/worker", { body: { quantity: 0 } });
    const config = first.emu.effectiveConfig("myapp");
    await first.close();

    const second = await startHarness({ dir });
    try {
      expect(second.emu.app("myapp")?.maintenance).toBe(true);
      expect(second.emu.effectiveConfig("myapp")).toEqual(config);
      expect(second.emu.releases("myapp").map((r) => r.version)).toEqual([1, 2, 3]);
      expect(second.emu.formation("myapp").find((f) => f.type === "worker")?.quantity).toBe(0);
      expect((await second.api("GET", "/apps/myapp/addon-attachments/DATABASE")).status).toBe(404);
    } finally {
      await second.close();
    }
  });

  it("writes the file with mode 0600 and leaves no temp files", async () => {
    const h = await startHarness({ dir, seed: [MYAPP] });
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
    await h.close();
    expect(statSync(h.stateFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["state.json"]);
    expect(JSON.parse(readFileSync(h.stateFile, "utf8")).apps[0].config.A).toBe("1");
  });

  it("refuses to start on a corrupt state file, naming the file", async () => {
    const stateFile = join(dir, "state.json");
    writeFileSync(stateFile, "{not json");
    await expect(startHerokuEmulator({ port: 0, stateFile, apiToken: TOKEN })).rejects.toThrow(/state\.json is not valid JSON/);
    writeFileSync(stateFile, JSON.stringify({ apps: {} }));
    await expect(startHerokuEmulator({ port: 0, stateFile, apiToken: TOKEN })).rejects.toThrow(/unknown shape/);
  });
});

describe("seeding and reset", () => {
  it("seeds idempotently: an existing app is left as is", async () => {
    const h = await startHarness({ dir, seed: [MYAPP] });
    try {
      await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
      h.emu.seedApp({ ...MYAPP, config: { DIFFERENT: "yes" } });
      expect(h.emu.effectiveConfig("myapp").A).toBe("1");
      expect(h.emu.effectiveConfig("myapp").DIFFERENT).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it("shares an add-on seeded under the same name into a second app", async () => {
    const h = await startHarness({ dir, seed: [MYAPP, { name: "staging", addons: [{ name: "postgresql-rigid-71273", url: "ignored", attachAs: ["MAIN_DB"] }] }] });
    try {
      expect(h.emu.effectiveConfig("staging").MAIN_DB_URL).toBe(h.emu.effectiveConfig("myapp").DATABASE_URL);
      expect((await h.api("GET", "/addons/postgresql-rigid-71273")).body.app.name).toBe("myapp");
    } finally {
      await h.close();
    }
  });

  it("reset() empties and saves the state", async () => {
    const h = await startHarness({ dir, seed: [MYAPP] });
    h.emu.reset();
    expect(h.emu.app("myapp")).toBeUndefined();
    expect(JSON.parse(readFileSync(h.stateFile, "utf8")).apps).toEqual([]);
    expect((await h.api("GET", "/apps/myapp")).status).toBe(404);
    await h.close();
  });

  it("offers reset, seed and a state dump over /__admin", async () => {
    const h = await startHarness({ dir });
    try {
      expect((await h.api("POST", "/__admin/seed", { body: MYAPP })).status).toBe(201);
      const dump = await h.api("GET", "/__admin/state");
      expect(dump.body.apps.map((a: { name: string }) => a.name)).toEqual(["myapp"]);
      expect(dump.body.attachments).toHaveLength(3);
      expect((await h.api("POST", "/__admin/seed", { body: { name: "Bad Name" } })).status).toBe(422);
      expect((await h.api("POST", "/__admin/reset")).status).toBe(200);
      expect((await h.api("GET", "/__admin/state")).body.apps).toEqual([]);
      expect(h.emu.app("myapp")).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
