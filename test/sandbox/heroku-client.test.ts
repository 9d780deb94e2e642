// lib/heroku against the emulator over real HTTP: every operation's happy path, the runbook's
// cutover and rollback as client calls, Next-Range pagination, discoverSource and CLI lines.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type HerokuCall, type HerokuClientOptions, type HerokuRequestRecord, HerokuApiError, SourceDiscoveryError,
  commandLine, createHerokuClient, discoverSource,
} from "@/lib/heroku";
import { type Harness, MYAPP, RDS_URL, RIGID_URL, TOKEN, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";
const SHAPED = "postgresql-shaped-12345";

let h: Harness;
beforeEach(async () => { h = await startHarness({ seed: [MYAPP] }); });
afterEach(async () => { await h.close(); });

function clientFor(overrides: Partial<HerokuClientOptions> = {}) {
  const records: HerokuRequestRecord[] = [];
  const calls: HerokuCall[] = [];
  const sleeps: number[] = [];
  const client = createHerokuClient({
    baseUrl: h.emu.url, token: TOKEN, onRequest: (r) => void records.push(r), onCall: (c) => void calls.push(c),
    sleep: async (ms) => void sleeps.push(ms), ...overrides,
  });
  return { client, records, calls, sleeps };
}

describe("operations", () => {
  it("reads and toggles the app's maintenance flag", async () => {
    const { client, records } = clientFor();
    expect(await client.getApp("myapp")).toEqual({ id: h.emu.app("myapp")?.id, name: "myapp", maintenance: false });
    expect((await client.setMaintenance("myapp", true)).maintenance).toBe(true);
    expect(h.emu.app("myapp")?.maintenance).toBe(true);
    expect((await client.setMaintenance("myapp", false)).maintenance).toBe(false);
    expect(records.map((r) => `${r.method} ${r.path} ${r.status} #${r.attempt}`)).toEqual([
      "GET /apps/myapp 200 #1", "PATCH /apps/myapp 200 #1", "PATCH /apps/myapp 200 #1",
    ]);
    expect(records[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reads config vars and sets and unsets plain ones in one PATCH", async () => {
    const { client } = clientFor();
    const before = await client.getConfigVars("myapp");
    expect(before).toMatchObject({ DATABASE_URL: RIGID_URL, RAILS_ENV: "production" });
    const after = await client.setConfigVars("myapp", { FEATURE_X: "on", RAILS_ENV: null });
    expect(after.FEATURE_X).toBe("on");
    expect(after).not.toHaveProperty("RAILS_ENV");
    expect(h.emu.releases("myapp").length).toBeGreaterThan(1);
  });

  it("lists and looks up add-ons and attachments", async () => {
    const { client } = clientFor();
    const addons = await client.listAddons("myapp");
    expect(addons.map((a) => a.name).sort()).toEqual([RIGID, SHAPED]);
    expect(addons[0]).toMatchObject({ addon_service: { name: "heroku-postgresql" }, plan: { name: "heroku-postgresql:standard-0" }, state: "provisioned" });
    const rigid = await client.getAddon(RIGID);
    expect((await client.getAddon(rigid.id)).name).toBe(RIGID);
    const attachments = await client.listAttachments("myapp");
    expect(attachments.map((a) => a.name).sort()).toEqual(["DATABASE", "HEROKU_POSTGRESQL_ONYX", "HEROKU_POSTGRESQL_YELLOW"]);
    const database = await client.getAttachment("myapp", "DATABASE");
    expect(database).toMatchObject({ name: "DATABASE", app: { name: "myapp" }, addon: { id: rigid.id, name: RIGID, app: { name: "myapp" } } });
    expect((await client.getAttachment("myapp", database.id)).name).toBe("DATABASE");
  });

  it("runs the runbook's cutover and rollback as client calls", async () => {
    const { client, calls } = clientFor();
    const second = await client.createAttachment({ addon: RIGID, app: "myapp", name: "HEROKU_POSTGRES_DB" });
    expect(second).toMatchObject({ name: "HEROKU_POSTGRES_DB", addon: { name: RIGID } });
    const database = await client.getAttachment("myapp", "DATABASE");
    expect((await client.deleteAttachment(database.id, { app: "myapp", name: "DATABASE" })).id).toBe(database.id);
    expect((await client.setConfigVars("myapp", { DATABASE_URL: RDS_URL })).DATABASE_URL).toBe(RDS_URL);
    expect(h.emu.effectiveConfig("myapp").HEROKU_POSTGRES_DB_URL).toBe(RIGID_URL);
    // Rollback: what pg:promote sends when DATABASE_URL is a plain var.
    await client.createAttachment({ addon: RIGID, app: "myapp", name: "DATABASE", confirm: "myapp", namespace: null });
    expect(h.emu.effectiveConfig("myapp").DATABASE_URL).toBe(RIGID_URL);
    expect(calls.map(commandLine)).toEqual([
      `heroku addons:attach ${RIGID} --as HEROKU_POSTGRES_DB -a myapp`,
      "heroku addons:info DATABASE -a myapp",
      "heroku addons:detach DATABASE -a myapp",
      "heroku config:set DATABASE_URL=**** -a myapp",
      `heroku addons:attach ${RIGID} --as DATABASE -a myapp --confirm myapp`,
    ]);
  });

  it("reads and scales the formation", async () => {
    const { client } = clientFor();
    expect(await client.getFormation("myapp")).toEqual([
      { type: "web", quantity: 1, size: "standard-1X" }, { type: "worker", quantity: 1, size: "standard-1X" },
    ]);
    expect(await client.scaleFormation("myapp", [{ type: "worker", quantity: 0 }])).toEqual([{ type: "worker", quantity: 0, size: "standard-1X" }]);
    expect(h.emu.formation("myapp").find((f) => f.type === "worker")?.quantity).toBe(0);
    expect(h.formations.at(-1)?.app).toBe("myapp");
  });

  it("lists releases newest first, all or the latest N", async () => {
    const { client, records } = clientFor();
    for (const v of ["1", "2", "3"]) await client.setConfigVars("myapp", { STEP: v });
    const latest = await client.listReleases("myapp", { max: 1 });
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ version: 4, description: "Set STEP config vars", status: "succeeded", current: true });
    expect(records.at(-1)?.status).toBe(206);
    expect((await client.listReleases("myapp")).map((r) => r.version)).toEqual([4, 3, 2, 1]);
    await expect(client.listReleases("myapp", { max: 0 })).rejects.toThrow(RangeError);
  });

  it("reads database info and wait_status from the data API without keeping the URL", async () => {
    const { client } = clientFor();
    const rigid = await client.getAddon(RIGID);
    const info = await client.databaseInfo(rigid.id);
    expect(info).toMatchObject({ addon_id: rigid.id, name: RIGID, plan: "standard-0", waiting: false, following: null });
    expect(info.info.find((i) => i.name === "Status")?.values).toEqual(["Available"]);
    expect(JSON.stringify(info)).not.toContain(RIGID_URL);
    expect(await client.waitStatus(rigid.id)).toEqual({ waiting: false, error: false, message: "available" });
    await expect(client.waitStatus("no-such-db")).rejects.toMatchObject({ status: 404, id: "not_found" });
  });
});

describe("pagination", () => {
  it("follows Next-Range until a page comes without it", async () => {
    const { client, records } = clientFor({ pageSize: 1 });
    const attachments = await client.listAttachments("myapp");
    expect(attachments).toHaveLength(3);
    expect(new Set(attachments.map((a) => a.id)).size).toBe(3);
    expect(records.map((r) => r.status)).toEqual([206, 206, 200]);
    records.length = 0;
    expect(await client.listAddons("myapp")).toHaveLength(2);
    expect((await client.getFormation("myapp")).map((f) => f.type)).toEqual(["web", "worker"]);
    expect(records.map((r) => r.status)).toEqual([206, 200, 206, 200]);
  });

  it("pages releases newest first", async () => {
    const { client, records } = clientFor({ pageSize: 2 });
    for (let i = 1; i <= 4; i++) await client.setConfigVars("myapp", { [`V${i}`]: String(i) });
    records.length = 0;
    expect((await client.listReleases("myapp")).map((r) => r.version)).toEqual([5, 4, 3, 2, 1]);
    expect(records.map((r) => r.status)).toEqual([206, 206, 200]);
  });
});

describe("discoverSource", () => {
  it("finds DATABASE, its add-on, the add-on's attachments and the URL", async () => {
    const { client, calls } = clientFor();
    const source = await discoverSource(client, "myapp");
    const rigid = await client.getAddon(RIGID);
    expect(source.app).toEqual({ id: h.emu.app("myapp")?.id, name: "myapp", maintenance: false });
    expect(source.databaseAttachment).toMatchObject({ name: "DATABASE", addon: { id: rigid.id, name: RIGID } });
    expect(source.addon).toEqual({ id: rigid.id, name: RIGID, plan: "heroku-postgresql:standard-0" });
    expect(source.attachmentsOfAddon.map((a) => a.name).sort()).toEqual(["DATABASE", "HEROKU_POSTGRESQL_YELLOW"]);
    expect(source.databaseUrl).toBe(RIGID_URL);
    expect(calls.map(commandLine)).toContain("heroku config -a myapp");
  });

  it("says so when DATABASE_URL is a plain var (already switched away)", async () => {
    const { client } = clientFor();
    const database = await client.getAttachment("myapp", "DATABASE");
    await client.deleteAttachment(database.id);
    await client.setConfigVars("myapp", { DATABASE_URL: RDS_URL });
    const error = await discoverSource(client, "myapp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceDiscoveryError);
    expect(error).toMatchObject({ problem: "database_url_is_plain_var", code: "precondition_failed" });
    expect((error as Error).message).toMatch(/myapp has no add-on attached as DATABASE; its DATABASE_URL is a plain config var/);
    expect((error as Error).message).not.toContain(RDS_URL);
  });

  it("says so when the app has no DATABASE attachment at all", async () => {
    h.emu.seedApp({ name: "bare", config: { RAILS_ENV: "production" } });
    const error = await discoverSource(clientFor().client, "bare").catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: "no_database_attachment" });
    expect((error as Error).message).toMatch(/bare has no add-on attached as DATABASE and no DATABASE_URL/);
  });

  it("passes Heroku errors through (unknown app)", async () => {
    await expect(discoverSource(clientFor().client, "nope")).rejects.toBeInstanceOf(HerokuApiError);
  });
});

describe("commandLine", () => {
  it("writes the CLI equivalent with every config value masked", () => {
    expect(commandLine({ command: "maintenance", app: "acme", on: true })).toBe("heroku maintenance:on -a acme");
    expect(commandLine({ command: "maintenance", app: "acme", on: false })).toBe("heroku maintenance:off -a acme");
    expect(commandLine({ command: "config:set", app: "acme", vars: { DATABASE_URL: RDS_URL, B: "it's" } }))
      .toBe("heroku config:set DATABASE_URL=**** B=**** -a acme");
    expect(commandLine({ command: "config:set", app: "acme", vars: { DATABASE_URL: null } })).toBe("heroku config:unset DATABASE_URL -a acme");
    expect(commandLine({ command: "config:set", app: "acme", vars: { A: "1", B: null } }))
      .toBe("heroku config:set A=**** -a acme && heroku config:unset B -a acme");
    expect(commandLine({ command: "addons:attach", app: "acme", addon: "postgresql-x", as: "DATABASE", confirm: "acme" }))
      .toBe("heroku addons:attach postgresql-x --as DATABASE -a acme --confirm acme");
    expect(commandLine({ command: "addons:detach", app: "acme", attachment: "DATABASE" })).toBe("heroku addons:detach DATABASE -a acme");
    expect(commandLine({ command: "ps:scale", app: "acme", updates: [{ type: "worker", quantity: 0 }, { type: "web", quantity: 2 }] }))
      .toBe("heroku ps:scale worker=0 web=2 -a acme");
    expect(commandLine({ command: "pg:promote", app: "acme", addon: "postgresql-x" })).toBe("heroku pg:promote postgresql-x -a acme");
    expect(commandLine({ command: "releases", app: "acme", max: 1 })).toBe("heroku releases -a acme -n 1");
    expect(commandLine({ command: "pg:wait", database: "postgresql-x" })).toBe("heroku pg:wait postgresql-x");
    expect(commandLine({ command: "addons:info", addon: "odd name;rm" })).toBe("heroku addons:info 'odd name;rm'");
  });
});
