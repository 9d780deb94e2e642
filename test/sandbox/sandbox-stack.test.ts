import { chmodSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/sandbox/dynos/dyno-process";
import { SANDBOX_ADDON, SANDBOX_APP, startSandbox, type RunningSandbox, type SandboxOptions } from "@/sandbox/start";

// The whole sandbox as `npm run sandbox` starts it: real servers, real dyno processes, real HTTP.
let sandbox: RunningSandbox;
let options: SandboxOptions;

async function api(method: string, route: string, body?: unknown) {
  const res = await fetch(`${sandbox.info.emulatorUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${sandbox.info.apiToken}`,
      accept: "application/vnd.heroku+json; version=3",
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

const app = () => sandbox.info.apps[0]!;

// mkdtemp makes a 0700 folder; PostgreSQL runs as its own user and must be able to enter it.
function traversable(dir: string): string {
  chmodSync(dir, 0o755);
  return dir;
}
const health = async () => (await fetch(`${app().routerUrl}/health`)).json();

type ListedDyno = { name: string; state: string; release: { version: number } };
const listDynos = async () => ((await api("GET", `/apps/${SANDBOX_APP}/dynos`)).body as ListedDyno[]).map((d) => `${d.name}:${d.state}:v${d.release.version}`).sort();
const latestVersion = () => sandbox.emulator.releases(SANDBOX_APP).at(-1)!.version;

/** Restarts and scaling happen after the API answers, as on Heroku: poll the dyno list as a client would. */
async function dynosBecome(expected: () => string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await listDynos()).join() !== expected().join()) {
    if (Date.now() > deadline) throw new Error(`dynos are ${(await listDynos()).join(", ")}, not ${expected().join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const allUpOnLatest = () => [`web.1:up:v${latestVersion()}`, `worker.1:up:v${latestVersion()}`];

async function count(url: string, table: string): Promise<number> {
  const client = await connect(url);
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  options = {
    home: traversable(mkdtempSync(path.join(os.tmpdir(), "switchyard-sandbox-"))),
    emulatorPort: await freePort(),
    routerPort: await freePort(),
    sourcePgPort: await freePort(),
    targetPgPort: await freePort(),
    scaleMb: 3,
    restartMs: 500,
  };
  sandbox = await startSandbox(options);
}, 120_000);

afterAll(() => sandbox?.stop(), 60_000);

describe("the sandbox", () => {
  it("writes sandbox.json (0600) with what scripts and tests need", () => {
    const file = path.join(options.home, "sandbox.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(file, "utf8"));
    expect(info).toMatchObject({ emulatorUrl: sandbox.info.emulatorUrl, apiToken: sandbox.info.apiToken });
    expect(info.apps[0]).toMatchObject({ name: SANDBOX_APP, sourceAddon: SANDBOX_ADDON });
    expect(info.apps[0].sourceDatabaseUrl).toContain(`:${options.sourcePgPort}/heroku_db`);
    expect(info.apps[0].targetDatabaseUrl).toContain(`:${options.targetPgPort}/app`);
  });

  it("takes TLS only on both servers, with credentials like Heroku's and RDS's master user", async () => {
    const withParams = (url: string, params: Record<string, string>) => {
      const u = new URL(url);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return u.toString();
    };
    await expect(connect(withParams(app().sourceDatabaseUrl, { sslmode: "disable" }))).rejects.toThrow(/takes TLS connections only|sslmode=disable/);
    await expect(connect(withParams(app().targetDatabaseUrl, { sslmode: "disable" }))).rejects.toThrow(/sslmode=disable/);
    const otherCa = path.join(options.home, "sandbox", "tls", "source", "ca.pem");
    await expect(connect(withParams(app().targetDatabaseUrl, { sslrootcert: otherCa }))).rejects.toThrow(/not signed by the CA in sslrootcert/);
    const roles = async (url: string) => {
      const client = await connect(url);
      try {
        const { rows } = await client.query("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls FROM pg_roles WHERE rolname = current_user");
        return rows[0];
      } finally {
        await client.end();
      }
    };
    expect(await roles(app().sourceDatabaseUrl)).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, tls: true });
    expect(await roles(app().targetDatabaseUrl)).toEqual({ rolsuper: false, rolcreaterole: true, rolcreatedb: true, rolreplication: false, tls: true });
  });

  it("serves the sample app's home page through the router, and 503 with a maintenance page in maintenance", async () => {
    const home = await fetch(`${app().routerUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Switchyard sample");
    expect((await api("PATCH", `/apps/${SANDBOX_APP}`, { maintenance: true })).status).toBe(200);
    const down = await fetch(`${app().routerUrl}/`);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain("Offline for Maintenance");
    await api("PATCH", `/apps/${SANDBOX_APP}`, { maintenance: false });
    expect((await fetch(`${app().routerUrl}/`)).status).toBe(200);
  });

  it("keeps the worker dyno writing while maintenance is on, and stops it when scaled to 0", async () => {
    await api("PATCH", `/apps/${SANDBOX_APP}`, { maintenance: true });
    const before = await count(app().sourceDatabaseUrl, "worker_events");
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await count(app().sourceDatabaseUrl, "worker_events")).toBeGreaterThan(before);
    await api("PATCH", `/apps/${SANDBOX_APP}/formation`, { updates: [{ type: "worker", quantity: 0 }] });
    await dynosBecome(() => [`web.1:up:v${latestVersion()}`]);
    const stopped = await count(app().sourceDatabaseUrl, "worker_events");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await count(app().sourceDatabaseUrl, "worker_events")).toBe(stopped);
    await api("PATCH", `/apps/${SANDBOX_APP}/formation`, { updates: [{ type: "worker", quantity: 1 }] });
    await dynosBecome(allUpOnLatest);
    await api("PATCH", `/apps/${SANDBOX_APP}`, { maintenance: false });
  });

  it("restarts the dynos after a config change answers, each old one serving until its replacement is up", async () => {
    const before = await health();
    const res = await api("PATCH", `/apps/${SANDBOX_APP}/config-vars`, { FEATURE_FLAG: "on" });
    expect(res.status).toBe(200);
    const latest = sandbox.emulator.releases(SANDBOX_APP).at(-1)!;
    expect(latest.description).toBe("Set FEATURE_FLAG config vars");
    // Booting takes restartMs (500 here): the old dynos still run the previous release meanwhile.
    await dynosBecome(() => [`web.1:up:v${latest.version - 1}`, `web.1:starting:v${latest.version}`, `worker.1:up:v${latest.version - 1}`, `worker.1:starting:v${latest.version}`].sort());
    expect((await health()).pid).toBe(before.pid);
    await dynosBecome(allUpOnLatest);
    expect((await health()).pid).not.toBe(before.pid);
  });

  it("serves from the target after the switch, and from the source again after the rollback", async () => {
    expect((await health()).database).toMatchObject({ port: options.sourcePgPort, name: "heroku_db" });
    const alias = await api("POST", "/addon-attachments", { addon: { name: SANDBOX_ADDON }, app: { name: SANDBOX_APP }, name: "SWITCHYARD_ROLLBACK_DB" });
    expect(alias.status).toBe(201);
    const attachments = (await api("GET", `/apps/${SANDBOX_APP}/addon-attachments`)).body as Array<{ id: string; name: string }>;
    const database = attachments.find((a) => a.name === "DATABASE")!;
    expect((await api("DELETE", `/addon-attachments/${database.id}`)).status).toBe(200);
    expect((await api("PATCH", `/apps/${SANDBOX_APP}/config-vars`, { DATABASE_URL: app().targetDatabaseUrl })).status).toBe(200);
    await dynosBecome(allUpOnLatest);
    const switched = await health();
    expect(switched.database).toMatchObject({ port: options.targetPgPort, name: "app" });
    expect(JSON.stringify(switched)).not.toContain(new URL(app().targetDatabaseUrl).password);

    expect((await api("PATCH", `/apps/${SANDBOX_APP}/config-vars`, { DATABASE_URL: null })).status).toBe(200);
    const promote = await api("POST", "/addon-attachments", { addon: { name: SANDBOX_ADDON }, app: { name: SANDBOX_APP }, name: "DATABASE", confirm: SANDBOX_APP });
    expect(promote.status).toBe(201);
    await dynosBecome(allUpOnLatest);
    expect((await health()).database).toMatchObject({ port: options.sourcePgPort, name: "heroku_db" });
  });

  it("keeps its state across a restart", async () => {
    const releases = sandbox.emulator.releases(SANDBOX_APP).length;
    await sandbox.stop();
    sandbox = await startSandbox(options);
    expect(sandbox.emulator.releases(SANDBOX_APP)).toHaveLength(releases);
    expect((await fetch(`${app().routerUrl}/`)).status).toBe(200);
  }, 120_000);
});
