// Config vars: effective config, release per change, onRelease with the new config, and the
// whole-request rejection of attachment-owned vars. Also maintenance (no release).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, MYAPP, RDS_URL, RIGID_URL, SHAPED_URL, latestRelease, startHarness } from "./harness";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

describe("GET /apps/{app}/config-vars", () => {
  it("returns plain vars plus <ATTACHMENT>_URL for every attachment", async () => {
    const res = await h.api("GET", "/apps/myapp/config-vars");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      RAILS_ENV: "production", SECRET_KEY_BASE: "s3cr3t",
      DATABASE_URL: RIGID_URL, HEROKU_POSTGRESQL_YELLOW_URL: RIGID_URL, HEROKU_POSTGRESQL_ONYX_URL: SHAPED_URL,
    });
    expect(h.emu.effectiveConfig("myapp")).toEqual(res.body);
  });
});

describe("PATCH /apps/{app}/config-vars", () => {
  it("sets vars, returns the full config and records 'Set A, B config vars'", async () => {
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1", B: "2" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ A: "1", B: "2", DATABASE_URL: RIGID_URL, RAILS_ENV: "production" });
    const release = await latestRelease(h);
    expect(release).toMatchObject({ version: 2, description: "Set A, B config vars", status: "succeeded" });
    expect(h.releases).toEqual([{ app: "myapp", version: 2, description: "Set A, B config vars", config: res.body }]);
  });

  it("unsets with null and records 'Remove K config vars'", async () => {
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { body: { SECRET_KEY_BASE: null } });
    expect(res.body.SECRET_KEY_BASE).toBeUndefined();
    expect((await latestRelease(h)).description).toBe("Remove SECRET_KEY_BASE config vars");
    expect(h.releases.at(-1)?.config.SECRET_KEY_BASE).toBeUndefined();
  });

  it("names both parts of a mixed patch", async () => {
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1", RAILS_ENV: null } });
    expect((await latestRelease(h)).description).toBe("Set A and remove RAILS_ENV config vars");
  });

  it("changes nothing and records no release for an empty patch", async () => {
    expect((await h.api("PATCH", "/apps/myapp/config-vars", { body: {} })).status).toBe(200);
    expect(h.emu.releases("myapp")).toHaveLength(1);
    expect(h.releases).toHaveLength(0);
  });

  it("rejects the whole request when it touches an attachment-owned var", async () => {
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { body: { OTHER: "applied?", DATABASE_URL: RDS_URL } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ id: "invalid_params", message: "Cannot overwrite attachment values DATABASE_URL." });
    const config = h.emu.effectiveConfig("myapp");
    expect(config.OTHER).toBeUndefined();
    expect(config.DATABASE_URL).toBe(RIGID_URL);
    expect(h.emu.releases("myapp")).toHaveLength(1);
    expect(h.releases).toHaveLength(0);
  });

  it("lists every attachment-owned key, comma-separated, and rejects unsets too", async () => {
    const both = await h.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: "x", HEROKU_POSTGRESQL_ONYX_URL: "y" } });
    expect(both.body.message).toBe("Cannot overwrite attachment values DATABASE_URL, HEROKU_POSTGRESQL_ONYX_URL.");
    const unset = await h.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: null } });
    expect(unset.status).toBe(422);
    expect(unset.body.message).toBe("Cannot overwrite attachment values DATABASE_URL.");
  });

  it("rejects invalid config var names", async () => {
    const res = await h.api("PATCH", "/apps/myapp/config-vars", { body: { "BAD-NAME": "1" } });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/BAD-NAME/);
    const proto = await h.api("PATCH", "/apps/myapp/config-vars", { rawBody: '{"__proto__":"x"}', headers: { "Content-Type": "application/json" } });
    // zod drops a `__proto__` key, so the patch is empty: nothing applied, no release.
    expect(proto.status).toBe(200);
    expect(Object.hasOwn(proto.body, "__proto__")).toBe(false);
    expect(h.emu.releases("myapp")).toHaveLength(1);
  });

  it("404s for an unknown app", async () => {
    expect((await h.api("PATCH", "/apps/nope/config-vars", { body: { A: "1" } })).status).toBe(404);
  });
});

describe("releases", () => {
  it("numbers releases 1..n with uuid ids and exactly one current", async () => {
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "1" } });
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { A: "2" } });
    const res = await h.api("GET", "/apps/myapp/releases");
    expect(res.status).toBe(200);
    expect(res.body.map((r: { version: number }) => r.version)).toEqual([1, 2, 3]);
    expect(res.body[0].description).toBe("Initial release");
    expect(res.body.map((r: { current: boolean }) => r.current)).toEqual([false, false, true]);
    for (const r of res.body) {
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(r.created_at).getTime()).not.toBeNaN();
    }
  });

  it("finds one release by id or by version, 404 otherwise", async () => {
    const latest = await latestRelease(h);
    expect((await h.api("GET", `/apps/myapp/releases/${latest.id}`)).body.version).toBe(1);
    expect((await h.api("GET", "/apps/myapp/releases/1")).body.id).toBe(latest.id);
    const missing = await h.api("GET", "/apps/myapp/releases/99");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ id: "not_found", resource: "release" });
  });
});

describe("maintenance", () => {
  it("flips the flag with PATCH /apps/{app} and creates no release", async () => {
    const on = await h.api("PATCH", "/apps/myapp", { body: { maintenance: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ name: "myapp", maintenance: true, id: h.emu.app("myapp")?.id });
    expect(on.body.region.name).toBe("us");
    expect((await h.api("GET", "/apps/myapp")).body.maintenance).toBe(true);
    expect(h.emu.app("myapp")?.maintenance).toBe(true);
    await h.api("PATCH", "/apps/myapp", { body: { maintenance: false } });
    expect(h.emu.app("myapp")?.maintenance).toBe(false);
    expect(h.emu.releases("myapp")).toHaveLength(1);
    expect(h.releases).toHaveLength(0);
    expect(h.formations).toHaveLength(0);
  });

  it("finds the app by id as well as by name", async () => {
    const id = h.emu.app("myapp")?.id;
    expect((await h.api("GET", `/apps/${id}`)).body.name).toBe("myapp");
  });
});
