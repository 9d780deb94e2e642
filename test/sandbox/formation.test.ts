// Formation and restarts: scaling goes to onFormation (no release); restarts answer 202 {} and
// name what to restart; a `release` process makes releases wait for the release phase.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, MYAPP, startHarness } from "./harness";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

describe("formation", () => {
  it("seeds web and worker and lists them", async () => {
    const res = await h.api("GET", "/apps/myapp/formation");
    expect(res.status).toBe(200);
    expect(res.body.map((f: { type: string; quantity: number; size: string }) => [f.type, f.quantity, f.size])).toEqual([
      ["web", 1, "standard-1X"], ["worker", 1, "standard-1X"],
    ]);
    const web = await h.api("GET", "/apps/myapp/formation/web");
    expect(web.body).toMatchObject({ type: "web", quantity: 1, app: { name: "myapp" } });
    expect((await h.api("GET", `/apps/myapp/formation/${web.body.id}`)).body.type).toBe("web");
  });

  it("scales several types with PATCH /formation and calls onFormation once, no release", async () => {
    const res = await h.api("PATCH", "/apps/myapp/formation", { body: { updates: [{ type: "worker", quantity: 0 }, { type: "web", quantity: 2, size: "Standard-2x" }] } });
    expect(res.status).toBe(200);
    expect(res.body.map((f: { type: string }) => f.type)).toEqual(["worker", "web"]);
    const expected = [{ type: "web", quantity: 2, size: "standard-2X" }, { type: "worker", quantity: 0, size: "standard-1X" }];
    expect(h.emu.formation("myapp")).toEqual(expected);
    expect(h.formations).toEqual([{ app: "myapp", formation: expected }]);
    expect(h.emu.releases("myapp")).toHaveLength(1);
    expect(h.releases).toHaveLength(0);
  });

  it("scales one type with PATCH /formation/{type}", async () => {
    const res = await h.api("PATCH", "/apps/myapp/formation/worker", { body: { quantity: 3 } });
    expect(res.body).toMatchObject({ type: "worker", quantity: 3 });
    expect(h.formations.at(-1)?.formation.find((f) => f.type === "worker")?.quantity).toBe(3);
  });

  it("applies nothing when one update is bad", async () => {
    const unknownType = await h.api("PATCH", "/apps/myapp/formation", { body: { updates: [{ type: "web", quantity: 5 }, { type: "clock", quantity: 1 }] } });
    expect(unknownType.status).toBe(404);
    expect(unknownType.body).toMatchObject({ id: "not_found", resource: "formation", message: "Couldn't find that process type (clock)." });
    const badSize = await h.api("PATCH", "/apps/myapp/formation/web", { body: { quantity: 5, size: "huge" } });
    expect(badSize.status).toBe(422);
    expect(badSize.body.message).toMatch(/Unknown dyno size huge/);
    expect(h.emu.formation("myapp")[0].quantity).toBe(1);
    expect(h.formations).toHaveLength(0);
  });
});

describe("restarts", () => {
  it("DELETE /apps/{app}/dynos restarts every running type", async () => {
    await h.api("PATCH", "/apps/myapp/formation/worker", { body: { quantity: 0 } });
    const res = await h.api("DELETE", "/apps/myapp/dynos", { headers: { Accept: "application/vnd.heroku+json; version=3.sdk" } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    expect(h.formations.at(-1)?.restart).toEqual(["web"]);
  });

  it("DELETE /apps/{app}/dynos/{name} restarts one dyno or a bare type", async () => {
    expect((await h.api("DELETE", "/apps/myapp/dynos/web.1")).status).toBe(202);
    expect(h.formations.at(-1)?.restart).toEqual(["web.1"]);
    expect((await h.api("DELETE", "/apps/myapp/dynos/worker")).status).toBe(202);
    expect(h.formations.at(-1)?.restart).toEqual(["worker"]);
    const missing = await h.api("DELETE", "/apps/myapp/dynos/web.9");
    expect(missing.status).toBe(404);
    expect(missing.body.resource).toBe("dyno");
  });

  it("DELETE /apps/{app}/formations/{type} restarts one type", async () => {
    const res = await h.api("DELETE", "/apps/myapp/formations/worker");
    expect(res.status).toBe(202);
    expect(h.formations).toEqual([{ app: "myapp", formation: h.emu.formation("myapp"), restart: ["worker"] }]);
    expect((await h.api("DELETE", "/apps/myapp/formations/clock")).status).toBe(404);
  });
});

describe("release phase", () => {
  const withRelease = { ...MYAPP, formation: [{ type: "web", quantity: 1 }, { type: "release", quantity: 1 }] };

  it("keeps a release pending until onRelease finishes, then succeeded", async () => {
    let statusDuringHook = "";
    const r = await startHarness({
      seed: [withRelease],
      hooks: { onRelease: async () => { statusDuringHook = (await r.api("GET", "/apps/myapp/releases/2")).body.status; } },
    });
    try {
      await r.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
      expect(statusDuringHook).toBe("pending");
      expect((await r.api("GET", "/apps/myapp/releases/2")).body.status).toBe("succeeded");
    } finally {
      await r.close();
    }
  });

  it("marks the release failed when the release phase (hook) throws", async () => {
    const r = await startHarness({ seed: [withRelease], hooks: { onRelease: () => { throw new Error("release command failed"); } } });
    try {
      const res = await r.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
      expect(res.status).toBe(200);
      expect((await r.api("GET", "/apps/myapp/releases/2")).body.status).toBe("failed");
    } finally {
      await r.close();
    }
  });
});
