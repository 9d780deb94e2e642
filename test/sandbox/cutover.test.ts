// Appendix A replayed request by request (same paths, bodies and variant headers as the CLI):
// the runbook cutover, the rollback from its end state, and a classic pg:promote.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, MYAPP, RDS_URL, RIGID_URL, SHAPED_URL, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";
const SHAPED = "postgresql-shaped-12345";
const SDK = { Accept: "application/vnd.heroku+json; version=3.sdk" };
const INCLUDE = { ...SDK, "Accept-Inclusion": "addon:plan,config_vars" };
const LATEST_ATTACH = { Range: "version ..; max=1, order=desc" };
const LATEST_CONFIG = { Range: "version ..; order=desc,max=1" };

let h: Harness;
afterEach(async () => { await h.close(); });

async function latest(range: Record<string, string>) {
  return (await h.api("GET", "/apps/myapp/releases", { headers: range })).body[0];
}

/** The runbook's cutover, ending with DATABASE_URL as a plain var pointing at RDS. */
async function cutover(): Promise<void> {
  await h.api("PATCH", "/apps/myapp", { body: { maintenance: true } });
  expect((await h.api("GET", `/addons/${RIGID}`)).status).toBe(200);
  const attached = await h.api("POST", "/addon-attachments", { body: { addon: { name: RIGID }, app: { name: "myapp" }, name: "HEROKU_POSTGRESQL_DB" } });
  expect(attached.status).toBe(201);
  expect(await latest(LATEST_ATTACH)).toMatchObject({ version: 2, description: `Attach HEROKU_POSTGRESQL_DB (@ref:${RIGID})` });
  expect(h.emu.effectiveConfig("myapp")).toMatchObject({ DATABASE_URL: RIGID_URL, HEROKU_POSTGRESQL_DB_URL: RIGID_URL });

  // The runbook's detach-by-add-on-name line: not an attachment identity.
  const byAddonName = await h.api("GET", `/apps/myapp/addon-attachments/${RIGID}`);
  expect(byAddonName.status).toBe(404);
  expect(byAddonName.body.message).toBe("Couldn't find that add on attachment.");

  const database = await h.api("GET", "/apps/myapp/addon-attachments/DATABASE");
  expect((await h.api("DELETE", `/addon-attachments/${database.body.id}`, { headers: SDK })).status).toBe(200);
  expect(await latest(LATEST_ATTACH)).toMatchObject({ version: 3, description: `Detach DATABASE (@ref:${RIGID})` });
  expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBeUndefined();

  const set = await h.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: RDS_URL } });
  expect(set.status).toBe(200);
  expect(await latest(LATEST_CONFIG)).toMatchObject({ version: 4, description: "Set DATABASE_URL config vars" });
  await h.api("PATCH", "/apps/myapp", { body: { maintenance: false } });
  expect(h.emu.effectiveConfig("myapp")).toMatchObject({
    DATABASE_URL: RDS_URL, HEROKU_POSTGRESQL_DB_URL: RIGID_URL, HEROKU_POSTGRESQL_YELLOW_URL: RIGID_URL, HEROKU_POSTGRESQL_ONYX_URL: SHAPED_URL,
  });
}

describe("Appendix A: runbook cutover and rollback", () => {
  it("cuts over: each step is a release and onRelease sees the new DATABASE_URL", async () => {
    h = await startHarness({ seed: [MYAPP] });
    await cutover();
    expect(h.releases.map((e) => [e.version, e.config.DATABASE_URL])).toEqual([[2, RIGID_URL], [3, undefined], [4, RDS_URL]]);
    expect(h.emu.app("myapp")?.maintenance).toBe(false);
  });

  it("rolls back like pg:promote: confirm re-attaches DATABASE over the plain DATABASE_URL", async () => {
    h = await startHarness({ seed: [MYAPP] });
    await cutover();
    const resolved = await h.api("POST", "/actions/addon-attachments/resolve", { body: { addon_attachment: RIGID, app: "myapp" }, headers: INCLUDE });
    expect(resolved.body.map((a: { name: string }) => a.name).sort()).toEqual(["HEROKU_POSTGRESQL_DB", "HEROKU_POSTGRESQL_YELLOW"]);
    expect(resolved.body.every((a: { addon: { plan: { name: string } } }) => a.addon.plan.name.startsWith("heroku-postgresql:"))).toBe(true);
    const config = (await h.api("GET", "/apps/myapp/config-vars")).body;
    expect(config.HEROKU_POSTGRESQL_DB_URL).toBe(config.HEROKU_POSTGRESQL_YELLOW_URL);
    const attachments = (await h.api("GET", "/apps/myapp/addon-attachments")).body;
    expect(attachments.find((a: { name: string }) => a.name === "DATABASE")).toBeUndefined();
    const addonId = resolved.body[0].addon.id;
    expect((await h.api("GET", `/client/v11/databases/${addonId}/wait_status`)).body["waiting?"]).toBe(false);

    const body = { addon: { name: RIGID }, app: { name: "myapp" }, confirm: "myapp", name: "DATABASE", namespace: null };
    const withoutConfirm = await h.api("POST", "/addon-attachments", { body: { ...body, confirm: undefined } });
    expect(withoutConfirm.body.id).toBe("confirmation_required");
    expect((await h.api("POST", "/addon-attachments", { body })).status).toBe(201);

    expect((await h.api("GET", `/client/v11/databases/${addonId}`)).status).toBe(200);
    expect((await h.api("GET", "/apps/myapp/formation")).body.map((f: { type: string }) => f.type)).toEqual(["web", "worker"]);
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBe(RIGID_URL);
    expect(h.emu.releases("myapp").at(-1)).toEqual({ version: 5, description: `Attach DATABASE (@ref:${RIGID})` });
    expect(h.releases.at(-1)?.config.DATABASE_URL).toBe(RIGID_URL);
    // The plain var is gone, so detaching again leaves no stale RDS URL behind.
    expect((await h.api("GET", "/__admin/state")).body.apps[0].config.DATABASE_URL).toBeUndefined();
  });

  it("rolls back the worker's way: unset DATABASE_URL, then attach DATABASE without confirm", async () => {
    h = await startHarness({ seed: [MYAPP] });
    await cutover();
    await h.api("PATCH", "/apps/myapp/config-vars", { body: { DATABASE_URL: null } });
    expect(await latest(LATEST_CONFIG)).toMatchObject({ version: 5, description: "Remove DATABASE_URL config vars" });
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBeUndefined();
    const res = await h.api("POST", "/addon-attachments", { body: { addon: { name: RIGID }, app: { name: "myapp" }, name: "DATABASE", namespace: null } });
    expect(res.status).toBe(201);
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBe(RIGID_URL);
    expect(h.emu.releases("myapp").at(-1)).toEqual({ version: 6, description: `Attach DATABASE (@ref:${RIGID})` });
  });

  it("refuses the detach when the runbook skipped the alias (last attachment)", async () => {
    h = await startHarness({ seed: [{ ...MYAPP, addons: [{ name: RIGID, url: RIGID_URL, attachAs: ["DATABASE"] }] }] });
    const database = await h.api("GET", "/apps/myapp/addon-attachments/DATABASE");
    const res = await h.api("DELETE", `/addon-attachments/${database.body.id}`);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(`Cannot destroy last attachment to billing app for resource ${RIGID}`);
  });
});

describe("Appendix A: classic pg:promote with a release phase", () => {
  it("aliases the old DATABASE, swaps DATABASE to ONYX, and both releases settle", async () => {
    h = await startHarness({
      seed: [{
        name: "myapp", formation: [{ type: "web", quantity: 1 }, { type: "release", quantity: 1 }],
        addons: [{ name: RIGID, url: RIGID_URL, attachAs: ["DATABASE"] }, { name: SHAPED, url: SHAPED_URL, attachAs: ["HEROKU_POSTGRESQL_ONYX"] }],
      }],
    });
    const target = (await h.api("POST", "/actions/addon-attachments/resolve", { body: { addon_attachment: "HEROKU_POSTGRESQL_ONYX", app: "myapp" }, headers: INCLUDE })).body;
    expect(target).toHaveLength(1);
    const current = (await h.api("GET", "/apps/myapp/addon-attachments")).body.find((a: { name: string }) => a.name === "DATABASE");
    expect(current.addon.name).toBe(RIGID);

    const alias = await h.api("POST", "/addon-attachments", { body: { addon: { name: RIGID }, app: { name: "myapp" }, confirm: "myapp", namespace: null } });
    expect(alias.body.name).toBe("HEROKU_POSTGRESQL_AMBER");
    expect((await h.api("GET", `/client/v11/databases/${target[0].addon.id}/wait_status`)).status).toBe(200);
    const promote = { addon: { name: SHAPED }, app: { name: "myapp" }, confirm: "myapp", name: "DATABASE", namespace: null };
    expect((await h.api("POST", "/addon-attachments", { body: promote })).status).toBe(201);
    expect((await h.api("GET", `/client/v11/databases/${target[0].addon.id}`)).body.following).toBeNull();

    const formation = (await h.api("GET", "/apps/myapp/formation")).body;
    expect(formation.some((f: { type: string }) => f.type === "release")).toBe(true);
    const recent = (await h.api("GET", "/apps/myapp/releases", { headers: { Range: "version ..; max=5, order=desc" } })).body;
    const attachRelease = recent.find((r: { description: string }) => r.description.includes("Attach DATABASE"));
    const detachRelease = recent.find((r: { description: string }) => r.description.includes("Detach DATABASE"));
    expect(attachRelease.description).toBe(`Attach DATABASE (@ref:${SHAPED})`);
    expect(detachRelease.description).toBe(`Detach DATABASE (@ref:${RIGID})`);
    for (const r of [attachRelease, detachRelease]) {
      expect((await h.api("GET", `/apps/myapp/releases/${r.id}`)).body.status).toBe("succeeded");
    }
    expect(h.emu.effectiveConfig("myapp")).toMatchObject({ DATABASE_URL: SHAPED_URL, HEROKU_POSTGRESQL_AMBER_URL: RIGID_URL, HEROKU_POSTGRESQL_ONYX_URL: SHAPED_URL });
  });
});
