// Heroku Postgres data API on the same port: database info, wait_status, backups, copies,
// transfer polling, public URLs (with a signed download) and credentials over Basic auth.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, MYAPP, TOKEN, startHarness } from "./harness";

const RIGID = "postgresql-rigid-71273";

let h: Harness;
let rigidId: string;
beforeAll(async () => {
  h = await startHarness({ seed: [MYAPP] });
  rigidId = (await h.api("GET", `/addons/${RIGID}`)).body.id;
});
afterAll(async () => { await h.close(); });

describe("databases", () => {
  it("answers wait_status as available", async () => {
    const res = await h.api("GET", `/client/v11/databases/${rigidId}/wait_status`);
    expect(res.body).toEqual({ "waiting?": false, "error?": false, message: "available" });
  });

  it("describes a database with static facts by default", async () => {
    const res = await h.api("GET", `/client/v11/databases/${rigidId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      addon_id: rigidId, name: RIGID, resource_url: "postgres://u1:p1@rigid.example.com:5432/d1",
      following: null, leader: null, "waiting?": false, plan: "standard-0",
      postgres_version: "16.4", num_bytes: 8388608, num_tables: 12,
    });
    const info = Object.fromEntries(res.body.info.map((i: { name: string; values: string[] }) => [i.name, i.values]));
    expect(info["Continuous Protection"]).toEqual(["Off"]);
    expect(info["PG Version"]).toEqual(["16.4"]);
    expect(info.Tables).toEqual(["12"]);
  });

  it("uses the databaseInfo hook when given, and 503s when it fails", async () => {
    let fail = false;
    const d = await startHarness({
      seed: [MYAPP],
      hooks: { databaseInfo: async (addon) => {
        if (fail) throw new Error("connection refused");
        return { postgresVersion: `15.7 for ${addon.name}`, numBytes: 42, numTables: 3 };
      } },
    });
    try {
      const res = await d.api("GET", `/client/v11/databases/${RIGID}`);
      expect(res.body).toMatchObject({ postgres_version: `15.7 for ${RIGID}`, num_bytes: 42, num_tables: 3 });
      fail = true;
      const failed = await d.api("GET", `/client/v11/databases/${RIGID}`);
      expect(failed.status).toBe(503);
      expect(failed.body.message).toBe(`Could not read database facts for ${RIGID}.`);
    } finally {
      await d.close();
    }
  });

  it("404s for an unknown database", async () => {
    for (const path of ["/client/v11/databases/nope", "/client/v11/databases/nope/wait_status", "/client/v11/databases/nope/backups"]) {
      const res = await h.api(path.endsWith("backups") ? "POST" : "GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ id: "not_found", resource: "database" });
    }
  });
});

describe("backups and transfers", () => {
  it("captures a backup that completes at once, then finds it by uuid and by number", async () => {
    const res = await h.api("POST", `/client/v11/databases/${rigidId}/backups`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ num: 1, from_name: "DATABASE", from_type: "pg_dump", to_type: "gof3r", succeeded: true, options: {}, warnings: 0, processed_bytes: 8388608 });
    for (const key of ["created_at", "started_at", "finished_at"]) expect(res.body[key]).toEqual(expect.any(String));
    const byUuid = await h.api("GET", `/client/v11/apps/myapp/transfers/${res.body.uuid}`);
    expect(byUuid.body.num).toBe(1);
    expect(byUuid.body.logs).toBeUndefined();
    const verbose = await h.api("GET", "/client/v11/apps/myapp/transfers/1?verbose=true");
    expect(verbose.body.logs[0]).toMatchObject({ level: "info", message: expect.any(String), created_at: expect.any(String) });
  });

  it("starts a copy transfer (pg_restore) and lists transfers per app", async () => {
    const body = { from_name: "DATABASE", from_url: "postgres://a/a", to_name: "RDS", to_url: "postgres://b/b" };
    const res = await h.api("POST", `/client/v11/databases/${rigidId}/transfers`, { body });
    expect(res.body).toMatchObject({ from_name: "DATABASE", to_name: "RDS", to_type: "pg_restore", succeeded: true });
    expect(JSON.stringify(res.body)).not.toContain("postgres://");
    const list = await h.api("GET", "/client/v11/apps/myapp/transfers");
    expect(list.body.map((t: { num: number }) => t.num)).toEqual(expect.arrayContaining([res.body.num]));
  });

  it("rejects a copy without URLs and 404s unknown transfers", async () => {
    const res = await h.api("POST", `/client/v11/databases/${rigidId}/transfers`, { body: { from_name: "A" } });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/from_url/);
    expect((await h.api("GET", "/client/v11/apps/myapp/transfers/999")).status).toBe(404);
  });

  it("hands out a public URL whose signed download works without a token", async () => {
    const backup = await h.api("POST", `/client/v11/databases/${rigidId}/backups`);
    const res = await h.api("POST", `/client/v11/apps/myapp/transfers/${backup.body.num}/actions/public-url`);
    expect(res.status).toBe(200);
    expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now());
    const download = await fetch(res.body.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toMatch(/^PGDMP/);
    const forged = await fetch(res.body.url.replace(/signature=.*/, "signature=forged"));
    expect(forged.status).toBe(403);
  });
});

describe("credentials", () => {
  it("lists credentials without the password for Basic ':token' auth", async () => {
    const basic = `Basic ${Buffer.from(`:${TOKEN}`).toString("base64")}`;
    const res = await h.api("GET", `/postgres/v0/databases/${RIGID}/credentials`, { token: null, headers: { Authorization: basic } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ name: "default", state: "active", host: "rigid.example.com", port: 5432, database: "d1" })]);
    expect(res.body[0].credentials[0].user).toBe("u1");
    expect(JSON.stringify(res.body)).not.toContain("p1@");
  });
});
