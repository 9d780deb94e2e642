// One-off dynos in the whole sandbox, detached as `heroku run:detached` runs them: real sh
// processes with the app's config, output read back through a log session's logplex_url.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HerokuApiError, type HerokuClient, createHerokuClient, readOneOffOutput } from "@/lib/heroku";
import { SANDBOX_APP, type RunningSandbox } from "@/sandbox/start";
import { startSmallSandbox, waitFor } from "./small-sandbox";
import { callApi } from "./harness";

let sandbox: RunningSandbox & { home: string };
let heroku: HerokuClient;

const app = () => sandbox.info.apps[0]!;
const api = (method: string, route: string, body?: unknown) =>
  callApi(sandbox.info.emulatorUrl, method, route, { token: sandbox.info.apiToken, ...(body === undefined ? {} : { body }) });

/** Runs a command detached and reads its whole output, as a cutover step would. */
async function run(command: string, input: { env?: Record<string, string>; timeToLiveS?: number } = {}) {
  const dyno = await heroku.runDetached(SANDBOX_APP, { command, ...input });
  const session = await heroku.createLogSession(SANDBOX_APP, { dyno: dyno.name, tail: true });
  const output = await readOneOffOutput(session.logplex_url, { dyno: dyno.name, signal: AbortSignal.timeout(20_000) });
  return { dyno, ...output, after: await heroku.getDyno(SANDBOX_APP, dyno.name) };
}


beforeAll(async () => {
  sandbox = await startSmallSandbox("one-off");
  heroku = createHerokuClient({ baseUrl: sandbox.info.emulatorUrl, token: sandbox.info.apiToken, maxAttempts: 1 });
}, 120_000);

afterAll(() => sandbox?.stop(), 60_000);

describe("one-off dynos", () => {
  it("runs a command with the app's config and reads its output and exit status 0 from the log", async () => {
    // The host only: the URL's password must never reach a log.
    const result = await run('h="${DATABASE_URL#*@}"; echo "db-host=${h%%[:/]*}"; echo "dyno=$DYNO"; echo to-stderr >&2');
    const source = new URL(app().sourceDatabaseUrl);
    expect(result.dyno).toMatchObject({ type: "run", state: "starting", attach_url: null, release: { version: sandbox.emulator.releases(SANDBOX_APP).at(-1)!.version } });
    expect(result.dyno.name).toMatch(/^run\.\d{4,5}$/);
    // stdout and stderr are separate pipes: their lines may interleave either way.
    expect([...result.output].sort()).toEqual([`db-host=${source.hostname}`, `dyno=${result.dyno.name}`, "to-stderr"].sort());
    expect(result.exitStatus).toBe(0);
    expect(result.lines.at(-2)).toMatch(new RegExp(`^\\S+ heroku\\[${result.dyno.name}\\]: Process exited with status 0$`));
    expect(result.lines.at(-1)).toMatch(/heroku\[run\.\d+\]: State changed from up to complete$/);
    expect(result.after.state).toBe("complete");
    const logFile = readFileSync(path.join(sandbox.home, "sandbox", "logs", `${SANDBOX_APP}.log`), "utf8");
    expect(logFile).toContain(` app[${result.dyno.name}]: db-host=${source.hostname}\n`);
    expect(logFile).toContain(` heroku[${result.dyno.name}]: State changed from up to complete\n`);
    expect(logFile).not.toContain(decodeURIComponent(source.password));
  });

  it("reports a non-zero exit as its status, and the dyno as crashed", async () => {
    const result = await run("echo failing; exit 3");
    expect(result).toMatchObject({ output: ["failing"], exitStatus: 3 });
    expect(result.after.state).toBe("crashed");
    expect(result.lines.at(-1)).toContain("State changed from up to crashed");
  });

  it("applies the body's env over the app's config vars", async () => {
    expect((await api("PATCH", `/apps/${SANDBOX_APP}/config-vars`, { ONE_OFF_FLAG: "from-config", ONE_OFF_KEEP: "kept" })).status).toBe(200);
    const result = await run('echo "$ONE_OFF_FLAG $ONE_OFF_KEEP $EXTRA"', { env: { ONE_OFF_FLAG: "from-body", EXTRA: "extra" } });
    expect(result.output).toEqual(["from-body kept extra"]);
    expect(result.dyno.release.version).toBe(sandbox.emulator.releases(SANDBOX_APP).at(-1)!.version);
  });

  it("lists a running one-off with the app's dynos and stops it at its time_to_live", async () => {
    const started = Date.now();
    const dyno = await heroku.runDetached(SANDBOX_APP, { command: "echo sleeping; sleep 60", timeToLiveS: 2 });
    await waitFor(async () => (await heroku.listDynos(SANDBOX_APP)).some((d) => d.name === dyno.name && d.state === "up"));
    const session = await heroku.createLogSession(SANDBOX_APP, { dyno: dyno.name, tail: true });
    const result = await readOneOffOutput(session.logplex_url, { dyno: dyno.name, signal: AbortSignal.timeout(20_000) });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.output).toEqual(["sleeping"]);
    expect(result.exitStatus).toBe(143);
    expect(result.lines.some((l) => l.endsWith("Stopping all processes with SIGTERM (time_to_live of 2 s reached)"))).toBe(true);
    expect((await heroku.getDyno(SANDBOX_APP, dyno.name)).state).toBe("crashed");
    expect((await heroku.listDynos(SANDBOX_APP)).map((d) => d.name)).not.toContain(dyno.name);
  });

  it("stops a one-off on POST .../actions/stop", async () => {
    const dyno = await heroku.runDetached(SANDBOX_APP, { command: "sleep 60" });
    const session = await heroku.createLogSession(SANDBOX_APP, { dyno: dyno.name, tail: true });
    const reading = readOneOffOutput(session.logplex_url, { dyno: dyno.name, signal: AbortSignal.timeout(20_000) });
    await waitFor(async () => (await heroku.getDyno(SANDBOX_APP, dyno.name)).state === "up");
    expect((await api("POST", `/apps/${SANDBOX_APP}/dynos/${dyno.name}/actions/stop`)).status).toBe(202);
    expect((await reading).exitStatus).toBe(143);
    expect((await api("POST", `/apps/${SANDBOX_APP}/dynos/${dyno.name}/actions/stop`)).body.message).toMatch(/already finished/);
  });

  it("serves a finished dyno's log without tail, filtered by source", async () => {
    const { dyno } = await run("echo one; echo two");
    const session = await heroku.createLogSession(SANDBOX_APP, { dyno: dyno.name, source: "app", lines: 1 });
    const res = await fetch(session.logplex_url);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect((await res.text()).trim()).toMatch(new RegExp(`^\\S+ app\\[${dyno.name}\\]: two$`));
  });

  it("refuses bad input with a field-naming 422", async () => {
    const post = (body: unknown) => api("POST", `/apps/${SANDBOX_APP}/dynos`, body);
    const missing = await post({ attach: false });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ id: "invalid_params", message: expect.stringMatching(/command: is required/) });
    expect((await post({ command: "   " })).body.message).toMatch(/command: must not be empty/);
    expect((await post({ command: "x".repeat(4097) })).body.message).toMatch(/at most 4096/);
    expect((await post({ command: "true", env: { "BAD-NAME": "x" } })).body.message).toMatch(/^Invalid request: env/);
    expect((await post({ command: "true", time_to_live: 0 })).body.message).toMatch(/time_to_live: must be at least 1 second/);
    expect((await post({ command: "true", type: "web" })).body.message).toMatch(/type: must be "run"/);
    expect((await post({ command: "true", size: "huge" })).body.message).toMatch(/Unknown dyno size huge/);
    const logs = await api("POST", `/apps/${SANDBOX_APP}/log-sessions`, { lines: 5000 });
    expect(logs).toMatchObject({ status: 422, body: { message: expect.stringMatching(/lines: must be at most 1500/) } });
  });

  it("refuses attach: true, saying how to read a detached dyno's output", async () => {
    const res = await api("POST", `/apps/${SANDBOX_APP}/dynos`, { command: "true", attach: true });
    expect(res.status).toBe(422);
    expect(res.body.id).toBe("invalid_params");
    expect(res.body.message).toMatch(/detached only/);
    expect(res.body.message).toContain(`POST /apps/${SANDBOX_APP}/log-sessions`);
  });

  it("answers 404 for an unknown app and 422 for an app without a dyno runner", async () => {
    await expect(heroku.runDetached("no-such-app", { command: "true" })).rejects.toMatchObject({ status: 404, id: "not_found" });
    sandbox.emulator.seedApp({ name: "other-app" });
    const other = await api("POST", "/apps/other-app/dynos", { command: "true" });
    expect(other).toMatchObject({ status: 422, body: { message: expect.stringMatching(/no dyno runner for app other-app/) } });
    expect((await api("POST", "/apps/other-app/log-sessions", {})).status).toBe(422);
  });

  it("answers 404 for a log session or a lookup of an unknown dyno", async () => {
    const session = await api("POST", `/apps/${SANDBOX_APP}/log-sessions`, { dyno: "run.99999", tail: true });
    expect(session).toMatchObject({ status: 404, body: { id: "not_found", resource: "dyno", message: expect.stringContaining("run.99999") } });
    const lookup = heroku.getDyno(SANDBOX_APP, "run.99999");
    await expect(lookup).rejects.toBeInstanceOf(HerokuApiError);
    await expect(lookup).rejects.toMatchObject({ status: 404 });
    expect((await heroku.getDyno(SANDBOX_APP, "web.1")).type).toBe("web");
  });

  it("signs logplex URLs: no token is needed, a wrong signature is refused", async () => {
    const session = await heroku.createLogSession(SANDBOX_APP, { dyno: "web", lines: 1 });
    expect((await fetch(session.logplex_url)).status).toBe(200);
    const forged = new URL(session.logplex_url);
    forged.searchParams.set("signature", "0".repeat(32));
    expect((await fetch(forged)).status).toBe(403);
    const error = await readOneOffOutput(forged.toString()).catch((e: Error) => e);
    expect(String(error)).toMatch(/answered 403/);
    expect(String(error)).not.toContain("signature=");
  });

  it("ends an open tail when the client goes away, and keeps serving", async () => {
    const session = await heroku.createLogSession(SANDBOX_APP, { tail: true, lines: 0 });
    const gone = new AbortController();
    const res = await fetch(session.logplex_url, { signal: gone.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = reader.read();
    await run("echo ping");
    expect(new TextDecoder().decode((await first).value)).toContain("Starting process");
    gone.abort();
    expect((await run("echo still-here")).output).toEqual(["still-here"]);
  });
});
