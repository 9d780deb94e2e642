// The platform.command step against the whole sandbox: the app switched to the target as the
// switch step leaves it, then commands on real one-off dynos that read $DATABASE_URL (psql).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandLine, createHerokuClient } from "@/lib/heroku";
import { withClient } from "@/lib/pg/connect";
import { herokuPlatform } from "@/lib/platform/heroku/heroku-platform";
import type { AppPlatform } from "@/lib/platform/types";
import { SANDBOX_APP, type RunningSandbox } from "@/sandbox/start";
import { startSmallSandbox, waitFor } from "./small-sandbox";
import { memoryLogger } from "@/worker/engine/step-logger";
import { commandStep } from "@/worker/steps/platform/command-step";
import { PermanentStepError } from "@/worker/steps/step-error";
import type { StepContext } from "@/worker/steps/types";

let sandbox: RunningSandbox;
let platform: AppPlatform;
// The platform's client logs its CLI lines to the current test's logger, as the worker's does.
let log = memoryLogger();

const app = () => sandbox.info.apps[0]!;
const targetUrl = () => app().targetDatabaseUrl;
const query = (sql: string) => withClient(targetUrl(), (c) => c.query(sql));
const count = async (table: string) => (await query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

function contextFor(signal = new AbortController().signal): StepContext {
  return { plan: { app: { name: SANDBOX_APP } }, secrets: { platformToken: sandbox.info.apiToken, targetUrl: targetUrl() }, platform, log, signal } as unknown as StepContext;
}
const run = (params: Record<string, unknown>, signal?: AbortSignal) => commandStep.run(contextFor(signal), commandStep.spec.params.parse(params));
const psql = (sql: string) => `psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "${sql}"`;
const texts = () => log.lines.map((l) => l.text);
const stdout = () => log.lines.filter((l) => l.stream === "stdout").map((l) => l.text);

beforeAll(async () => {
  sandbox = await startSmallSandbox("command-step");
  const client = createHerokuClient({ baseUrl: sandbox.info.emulatorUrl, token: sandbox.info.apiToken, maxAttempts: 1, onCall: (call) => log.command(commandLine(call)) });
  platform = herokuPlatform({ client, app: SANDBOX_APP });
  // Where the step runs in a plan: after the switch, so DATABASE_URL names the target; the worker
  // dyno is scaled down, as the core plan has it, so nothing else writes while fingerprints are compared.
  await platform.scale([{ type: "worker", quantity: 0 }]);
  await platform.switchDatabase({ source: await platform.readSource(), alias: "SWITCHYARD_ROLLBACK_DB", targetUrl: targetUrl() });
  await query("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)");
}, 120_000);

afterAll(() => sandbox?.stop(), 60_000);

beforeEach(() => {
  log = memoryLogger();
});

describe("the platform.command step", () => {
  it("runs the command with the app's config after the switch, its output in the run log", async () => {
    const command = 'echo migrating; h="${DATABASE_URL#*@}"; echo "database at ${h%%/*}"; echo done';
    const outcome = await run({ command });
    const target = new URL(targetUrl());
    expect(outcome.output).toMatchObject({ exitStatus: 0, process: expect.stringMatching(/^run\.\d+$/) });
    expect(stdout()).toEqual(["migrating", `database at ${target.host}`, "done"]);
    // One `$` line for the platform call, by the platform's client; none from the step itself.
    expect(texts().filter((t) => t.startsWith("$ heroku run:detached"))).toEqual([`$ heroku run:detached -a ${SANDBOX_APP} -- '${command.replace(/'/g, `'\\''`)}'`]);
    expect(texts()).toContain("Heroku: Process exited with status 0");
    expect(texts().at(-1)).toMatch(/^the command exited with status 0 on run\.\d+ after \d+\.\d s$/);
    expect(texts().join("\n")).not.toContain(decodeURIComponent(target.password));
  });

  it("fails with the exit status on a non-zero exit", async () => {
    const err = await run({ command: "echo cannot migrate >&2; exit 7" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentStepError);
    expect((err as Error).message).toMatch(/^the command exited with status 7 on run\.\d+ after/);
    expect(stdout()).toEqual(["cannot migrate"]);
  });

  it("writes into the target through $DATABASE_URL", async () => {
    const before = await count("notes");
    await run({ command: psql("INSERT INTO notes (body) VALUES ('from a one-off dyno')") });
    expect(await count("notes")).toBe(before + 1);
  });

  it("runs an idempotent command twice and proves the second run changed nothing", async () => {
    const command = psql("CREATE TABLE IF NOT EXISTS flags (name text PRIMARY KEY); INSERT INTO flags VALUES ('new_checkout') ON CONFLICT DO NOTHING");
    const outcome = await run({ command, runTwice: true });
    expect(outcome.output).toMatchObject({ exitStatus: 0, provenIdempotent: true, tablesCompared: expect.any(Number) });
    expect(outcome.output.process).not.toBe(outcome.output.secondProcess);
    expect(texts().filter((t) => t.startsWith("$ heroku run:detached"))).toHaveLength(2);
    expect(texts()).toContain(`the second run exited 0 and changed no schema object and no row count (${outcome.output.tablesCompared} tables compared)`);
    expect(await count("flags")).toBe(1);
  });

  it("fails a command whose second run inserts a row, naming the table and the counts", async () => {
    const before = await count("notes");
    const err = await run({ command: psql("INSERT INTO notes (body) VALUES ('again')"), runTwice: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentStepError);
    expect((err as Error).message).toContain("the command is not idempotent: its second run changed the target");
    expect((err as Error).message).toContain(`public.notes: ${before + 1} → ${before + 2} rows`);
    expect(await count("notes"), "both runs' rows stay: a command has no transaction to roll back").toBe(before + 2);
  });

  it("fails when the second run exits non-zero", async () => {
    // Fails once the marker table exists: the first run creates it, the second finds it.
    const command = psql("CREATE TABLE once_only (id int)");
    const err = await run({ command, runTwice: true }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^the command exited with status \d+ \(second run\) on run\.\d+/);
    expect(stdout().join("\n")).toContain('relation "once_only" already exists');
  });

  it("stops the dyno on cancel", async () => {
    const stop = new AbortController();
    const running = run({ command: "echo working; sleep 60" }, stop.signal).catch((e: unknown) => e);
    const deadline = Date.now() + 15_000;
    while (!stdout().includes("working") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    stop.abort(new Error("stopped: cancel"));
    const err = await running;
    expect((err as Error).message).toMatch(/interrupted \(stopped: cancel\); dyno run\.\d+ was stopped$/);
    expect(texts().some((t) => /^\$ heroku ps:stop run\.\d+ -a /.test(t))).toBe(true);
  });

  it("refuses to repeat a command of unknown outcome after a crash, unless it is proven idempotent", async () => {
    const ctx = contextFor();
    await expect(commandStep.resume!(ctx, commandStep.spec.params.parse({ command: "true" }))).rejects.toThrow(/may or may not have finished/);
    await expect(commandStep.resume!(ctx, commandStep.spec.params.parse({ command: "true", runTwice: true }))).resolves.toBeUndefined();
  });
});
