// The resolver actions behind pg:promote, pg:info, backups and addons:destroy, and the
// Accept-Inclusion variant the CLI's Postgres filtering depends on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, MYAPP, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";
const SHAPED = "postgresql-shaped-12345";
const SDK = { Accept: "application/vnd.heroku+json; version=3.sdk", "Accept-Inclusion": "addon:plan,config_vars" };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: [MYAPP, { name: "otherapp", addons: [{ name: "postgresql-other-1", url: "postgres://o/o", attachAs: ["DATABASE"] }] }] });
});
afterAll(async () => { await h.close(); });

async function resolveAttachment(arg: string, app: string | null = "myapp") {
  return h.api("POST", "/actions/addon-attachments/resolve", { body: { addon_attachment: arg, app }, headers: SDK });
}

function names(list: Array<{ name: string }>): string[] {
  return list.map((a) => a.name).sort();
}

describe("POST /actions/addon-attachments/resolve", () => {
  it("matches an attachment name, case-insensitively", async () => {
    const res = await resolveAttachment("heroku_postgresql_onyx");
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(["HEROKU_POSTGRESQL_ONYX"]);
  });

  it("matches a NAME_URL config var", async () => {
    expect(names((await resolveAttachment("DATABASE_URL")).body)).toEqual(["DATABASE"]);
  });

  it("matches an attachment id", async () => {
    const id = (await h.api("GET", "/apps/myapp/addon-attachments/DATABASE")).body.id;
    expect(names((await resolveAttachment(id)).body)).toEqual(["DATABASE"]);
  });

  it("matches an add-on name or id with all of its attachments on the app", async () => {
    expect(names((await resolveAttachment(RIGID)).body)).toEqual(["DATABASE", "HEROKU_POSTGRESQL_YELLOW"]);
    const addonId = (await h.api("GET", `/addons/${SHAPED}`)).body.id;
    expect(names((await resolveAttachment(addonId)).body)).toEqual(["HEROKU_POSTGRESQL_ONYX"]);
  });

  it("honours the app::name form and stays within the app", async () => {
    const res = await resolveAttachment("otherapp::DATABASE", null);
    expect(res.body).toHaveLength(1);
    expect(res.body[0].app.name).toBe("otherapp");
    expect((await resolveAttachment("postgresql-other-1")).status).toBe(404);
  });

  it("includes addon.plan and config_vars only with Accept-Inclusion", async () => {
    const [included] = (await resolveAttachment("DATABASE")).body;
    expect(included.addon.plan.name).toBe("heroku-postgresql:standard-0");
    expect(included.config_vars).toEqual(["DATABASE_URL"]);
    const plain = await h.api("POST", "/actions/addon-attachments/resolve", { body: { addon_attachment: "DATABASE", app: "myapp" } });
    expect(plain.body[0].addon.plan).toBeUndefined();
    expect(plain.body[0].config_vars).toBeUndefined();
  });

  it("applies Accept-Inclusion to attachment lists too", async () => {
    const res = await h.api("GET", "/apps/myapp/addon-attachments", { headers: SDK });
    expect(res.body.every((a: { addon: { plan?: { name: string } } }) => a.addon.plan?.name.startsWith("heroku-postgresql:"))).toBe(true);
  });

  it("404s with not_found for no match or an unknown app", async () => {
    const res = await resolveAttachment("NOPE");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ id: "not_found", resource: "add_on attachment" });
    expect((await resolveAttachment("DATABASE", "nope")).body.resource).toBe("app");
  });
});

describe("POST /actions/addons/resolve", () => {
  const headers = { Accept: "application/vnd.heroku+json; version=3.sdk", "Accept-Expansion": "addon_service,plan" };

  it("matches an add-on name or id", async () => {
    const res = await h.api("POST", "/actions/addons/resolve", { body: { addon: RIGID, app: "myapp" }, headers });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ name: RIGID, app: { name: "myapp" }, plan: { price: { cents: 5000 } } });
    const byId = await h.api("POST", "/actions/addons/resolve", { body: { addon: res.body[0].id, app: "myapp" }, headers });
    expect(byId.body[0].name).toBe(RIGID);
  });

  it("matches an attachment name or NAME_URL on the app, once per add-on", async () => {
    for (const arg of ["HEROKU_POSTGRESQL_YELLOW", "DATABASE_URL"]) {
      const res = await h.api("POST", "/actions/addons/resolve", { body: { addon: arg, app: "myapp" }, headers });
      expect(res.body.map((a: { name: string }) => a.name)).toEqual([RIGID]);
    }
  });

  it("404s with the add-on message when nothing matches", async () => {
    const res = await h.api("POST", "/actions/addons/resolve", { body: { addon: "NOPE", app: "myapp" } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ id: "not_found", resource: "addon", message: "Couldn't find that add-on." });
  });
});
