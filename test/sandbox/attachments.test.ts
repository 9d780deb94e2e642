// Attachments and add-ons: attach (named, auto-colored, taken name, confirm replacement, plain
// var collision), detach (last-attachment refusal), lookups and addons:destroy.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, MYAPP, RDS_URL, RIGID_URL, SHAPED_URL, latestRelease, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";
const SHAPED = "postgresql-shaped-12345";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

function attachBody(addon: string, extra: Record<string, unknown> = {}) {
  return { addon: { name: addon }, app: { name: "myapp" }, ...extra };
}

async function attachmentId(name: string): Promise<string> {
  return (await h.api("GET", `/apps/myapp/addon-attachments/${name}`)).body.id;
}

describe("POST /addon-attachments", () => {
  it("attaches under the given name with a release and onRelease", async () => {
    const res = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "HEROKU_POSTGRESQL_DB" }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "HEROKU_POSTGRESQL_DB", namespace: null, app: { name: "myapp" }, addon: { name: SHAPED, app: { name: "myapp" } } });
    expect(await latestRelease(h)).toMatchObject({ version: 2, description: `Attach HEROKU_POSTGRESQL_DB (@ref:${SHAPED})` });
    expect(h.releases[0].config.HEROKU_POSTGRESQL_DB_URL).toBe(SHAPED_URL);
  });

  it("accepts add-on and app by id", async () => {
    const addonId = (await h.api("GET", `/addons/${SHAPED}`)).body.id;
    const body = { addon: { id: addonId }, app: { id: h.emu.app("myapp")?.id }, name: "EXTRA" };
    expect((await h.api("POST", "/addon-attachments", { body })).status).toBe(201);
  });

  it("404s for an unknown add-on or app", async () => {
    expect((await h.api("POST", "/addon-attachments", { body: attachBody("postgresql-nope-1") })).body.resource).toBe("addon");
    const res = await h.api("POST", "/addon-attachments", { body: { addon: { name: SHAPED }, app: { name: "nope" } } });
    expect(res.status).toBe(404);
    expect(res.body.resource).toBe("app");
  });

  it("auto-names HEROKU_POSTGRESQL_<first unused COLOR> when no name is given", async () => {
    const first = await h.api("POST", "/addon-attachments", { body: attachBody(RIGID, { confirm: "myapp", namespace: null }) });
    expect(first.body.name).toBe("HEROKU_POSTGRESQL_AMBER");
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { HEROKU_POSTGRESQL_AQUA_URL: "plain" } });
    const second = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED) });
    expect(second.body.name).toBe("HEROKU_POSTGRESQL_BLACK");
    expect(h.emu.effectiveConfig("myapp").HEROKU_POSTGRESQL_BLACK_URL).toBe(SHAPED_URL);
  });

  it("answers confirmation_required (400) for a taken name without the right confirm", async () => {
    for (const extra of [{}, { confirm: "wrongapp" }]) {
      const res = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "DATABASE", ...extra }) });
      expect(res.status).toBe(400);
      expect(res.body.id).toBe("confirmation_required");
      expect(res.body.message).toMatch(/DATABASE.*myapp/);
    }
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBe(RIGID_URL);
    expect(h.emu.releases("myapp")).toHaveLength(1);
  });

  it("replaces the attachment when confirm equals the app name: Detach then Attach releases", async () => {
    const res = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "DATABASE", confirm: "myapp" }) });
    expect(res.status).toBe(201);
    expect(h.emu.releases("myapp").slice(1)).toEqual([
      { version: 2, description: `Detach DATABASE (@ref:${RIGID})` },
      { version: 3, description: `Attach DATABASE (@ref:${SHAPED})` },
    ]);
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBe(SHAPED_URL);
    expect(h.releases.map((e) => e.config.DATABASE_URL)).toEqual([SHAPED_URL, SHAPED_URL]);
    const names = (await h.api("GET", "/apps/myapp/addon-attachments")).body.map((a: { name: string }) => a.name).sort();
    expect(names).toEqual(["DATABASE", "HEROKU_POSTGRESQL_ONYX", "HEROKU_POSTGRESQL_YELLOW"]);
  });

  it("needs confirm to attach over a plain <NAME>_URL var, and confirm overwrites it", async () => {
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { REPLICA_URL: RDS_URL } });
    const refused = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "REPLICA" }) });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ id: "confirmation_required" });
    expect(refused.body.message).toMatch(/REPLICA_URL/);
    const ok = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "REPLICA", confirm: "myapp" }) });
    expect(ok.status).toBe(201);
    expect(h.emu.effectiveConfig("myapp").REPLICA_URL).toBe(SHAPED_URL);
    await h.api("DELETE", `/addon-attachments/${ok.body.id}`);
    expect(h.emu.effectiveConfig("myapp").REPLICA_URL).toBeUndefined();
  });

  it("rejects invalid attachment names", async () => {
    const res = await h.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "9LIVES" }) });
    expect(res.status).toBe(422);
  });
});

describe("plainVarCollision: shadow", () => {
  it("attaches over a plain var without confirm; the attachment var wins while attached", async () => {
    const s = await startHarness({ seed: [{ ...MYAPP, config: { REPLICA_URL: "plain" } }], plainVarCollision: "shadow" });
    try {
      const res = await s.api("POST", "/addon-attachments", { body: attachBody(SHAPED, { name: "REPLICA" }) });
      expect(res.status).toBe(201);
      expect(s.emu.effectiveConfig("myapp").REPLICA_URL).toBe(SHAPED_URL);
    } finally {
      await s.close();
    }
  });
});

describe("DELETE /addon-attachments/{id}", () => {
  it("detaches with a 'Detach NAME (@ref:addon)' release and drops the var", async () => {
    const res = await h.api("DELETE", `/addon-attachments/${await attachmentId("DATABASE")}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "DATABASE", addon: { name: RIGID } });
    expect(await latestRelease(h)).toMatchObject({ version: 2, description: `Detach DATABASE (@ref:${RIGID})` });
    expect(h.releases[0].config.DATABASE_URL).toBeUndefined();
  });

  it("refuses the add-on's last attachment on its billing app (422 invalid_params)", async () => {
    const res = await h.api("DELETE", `/addon-attachments/${await attachmentId("HEROKU_POSTGRESQL_ONYX")}`);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ id: "invalid_params", message: `Cannot destroy last attachment to billing app for resource ${SHAPED}` });
    expect(h.emu.effectiveConfig("myapp").HEROKU_POSTGRESQL_ONYX_URL).toBe(SHAPED_URL);
  });

  it("also refuses a confirm-replacement that would orphan the old add-on", async () => {
    await h.api("POST", "/addon-attachments", { body: attachBody(RIGID, { name: "SPARE" }) });
    const onyx = await h.api("POST", "/addon-attachments", { body: attachBody(RIGID, { name: "HEROKU_POSTGRESQL_ONYX", confirm: "myapp" }) });
    expect(onyx.status).toBe(422);
    expect(onyx.body.message).toMatch(SHAPED);
  });
});

describe("add-on lookups and destroy", () => {
  it("GET /addons/{name}, /apps/{app}/addons/{id} and /addons/{addon}/addon-attachments", async () => {
    const addon = (await h.api("GET", `/addons/${RIGID}`)).body;
    expect(addon).toMatchObject({ name: RIGID, state: "provisioned", app: { name: "myapp" }, addon_service: { name: "heroku-postgresql" }, plan: { name: "heroku-postgresql:standard-0" } });
    expect(addon.config_vars.sort()).toEqual(["DATABASE_URL", "HEROKU_POSTGRESQL_YELLOW_URL"]);
    expect((await h.api("GET", `/apps/myapp/addons/${addon.id}`)).body.name).toBe(RIGID);
    expect((await h.api("GET", `/addons/${RIGID}/addon-attachments`)).body).toHaveLength(2);
  });

  it("expands plan prices with Accept-Expansion on add-on lists", async () => {
    const plain = await h.api("GET", "/apps/myapp/addons");
    expect(plain.body[0].plan.price).toBeUndefined();
    const expanded = await h.api("GET", "/apps/myapp/addons", { headers: { "Accept-Expansion": "addon_service,plan" } });
    expect(expanded.body[0].plan.price).toEqual({ cents: 5000, unit: "month", contract: false, metered: false });
    expect(expanded.body[0].addon_service.human_name).toBe("Heroku Postgres");
  });

  it("destroys an add-on with its attachments and vars, then 404s", async () => {
    const addon = (await h.api("GET", `/addons/${RIGID}`)).body;
    const res = await h.api("DELETE", `/apps/${addon.app.id}/addons/${addon.id}`, { body: { force: false }, headers: { "Accept-Expansion": "plan" } });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("deprovisioned");
    const config = h.emu.effectiveConfig("myapp");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.HEROKU_POSTGRESQL_YELLOW_URL).toBeUndefined();
    expect((await h.api("GET", `/apps/myapp/addons/${RIGID}`)).status).toBe(404);
    expect(h.emu.releases("myapp").map((r) => r.description).slice(1).sort()).toEqual([
      `Detach DATABASE (@ref:${RIGID})`, `Detach HEROKU_POSTGRESQL_YELLOW (@ref:${RIGID})`,
    ]);
    const unset = await h.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: RDS_URL } });
    expect(unset.status).toBe(200);
  });
});
