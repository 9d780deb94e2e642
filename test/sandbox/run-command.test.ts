// AppPlatform.runCommand on the Heroku adapter, against the whole sandbox: real one-off dynos
// (`sh -c` with the app's config), their output read back through log sessions as it comes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HerokuCall, type HerokuClient, commandLine, createHerokuClient } from "@/lib/heroku";
import { herokuPlatform } from "@/lib/platform/heroku/heroku-platform";
import type { AppPlatform, CommandLine } from "@/lib/platform/types";
import { SANDBOX_APP, type RunningSandbox } from "@/sandbox/start";
import { startSmallSandbox, waitFor } from "./small-sandbox";
import { callApi } from "./harness";

let sandbox: RunningSandbox & { home: string };
let heroku: HerokuClient;
let platform: AppPlatform;
const calls: HerokuCall[] = [];

const client = (signal?: AbortSignal) =>
  createHerokuClient({ baseUrl: sandbox.info.emulatorUrl, token: sandbox.info.apiToken, maxAttempts: 1, signal, onCall: (call) => void calls.push(call) });

/** Runs a command, recording each line with the time it arrived. */
async function run(command: string, opts: { timeoutMs?: number; signal?: AbortSignal; on?: AppPlatform; onLine?: (line: CommandLine) => void } = {}) {
  const lines: Array<CommandLine & { at: number }> = [];
  const result = await (opts.on ?? platform).runCommand({
    command,
    timeoutMs: opts.timeoutMs ?? 20_000,
    signal: opts.signal ?? new AbortController().signal,
    onLine: (line) => {
      lines.push({ ...line, at: Date.now() });
      opts.onLine?.(line);
    },
  });
  return { ...result, lines, output: lines.filter((l) => l.from === "process").map((l) => l.text), done: Date.now() };
}


beforeAll(async () => {
  sandbox = await startSmallSandbox("run-command");
  heroku = client();
  platform = herokuPlatform({ client: heroku, app: SANDBOX_APP });
}, 120_000);

afterAll(() => sandbox?.stop(), 60_000);

describe("runCommand on a Heroku one-off dyno", () => {
  it("streams the output as it comes and resolves with exit status 0", async () => {
    calls.length = 0;
    const result = await run("echo first; sleep 1.5; echo second");
    expect(result.processName).toMatch(/^run\.\d{4,5}$/);
    expect(result.exitStatus).toBe(0);
    expect(result.output).toEqual(["first", "second"]);
    const first = result.lines.find((l) => l.text === "first")!;
    expect(result.done - first.at, "the first line came while the command still ran").toBeGreaterThan(1_000);
    const platformLines = result.lines.filter((l) => l.from === "platform").map((l) => l.text);
    expect(platformLines).toContain("Starting process with command `echo first; sleep 1.5; echo second`");
    expect(platformLines.at(-2)).toBe("Process exited with status 0");
    expect(platformLines.at(-1)).toBe("State changed from up to complete");
    // The CLI lines the run log gets: no env is sent, so no value can be in them.
    expect(calls.map(commandLine)).toEqual([
      `heroku run:detached -a ${SANDBOX_APP} -- 'echo first; sleep 1.5; echo second'`,
      `heroku logs -a ${SANDBOX_APP} --dyno ${result.processName} -n 1500 --tail`,
    ]);
    expect((await heroku.getDyno(SANDBOX_APP, result.processName)).state).toBe("complete");
  });

  it("stops the dyno at the timeout and rejects, saying so", async () => {
    const started = Date.now();
    const before = new Set((await heroku.listDynos(SANDBOX_APP)).map((d) => d.name));
    // The dyno's time_to_live is the timeout plus a margin: our own stop comes first.
    const err = await run("sleep 30", { timeoutMs: 1_000 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^the command did not finish within 1 s; dyno run\.\d+ was stopped$/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const name = /dyno (run\.\d+)/.exec((err as Error).message)![1]!;
    expect(before.has(name)).toBe(false);
    await waitFor(async () => (await heroku.getDyno(SANDBOX_APP, name)).state === "crashed");
  });

  it("reports a failing command's exit status and its output", async () => {
    const result = await run("echo going to fail >&2; exit 3");
    expect(result).toMatchObject({ exitStatus: 3, output: ["going to fail"] });
    expect(result.lines.at(-1)!.text).toBe("State changed from up to crashed");
    expect((await heroku.getDyno(SANDBOX_APP, result.processName)).state).toBe("crashed");
  });

  it("runs with the app's config as it is now", async () => {
    expect((await callApi(sandbox.info.emulatorUrl, "PATCH", `/apps/${SANDBOX_APP}/config-vars`, { token: sandbox.info.apiToken, body: { RUN_COMMAND_FLAG: "now-set" } })).status).toBe(200);
    const result = await run('echo "flag=$RUN_COMMAND_FLAG"; h="${DATABASE_URL#*@}"; echo "db=${h%%[:/]*}"');
    expect(result.output).toEqual(["flag=now-set", `db=${new URL(sandbox.info.apps[0]!.sourceDatabaseUrl).hostname}`]);
  });

  it("hands on output written before the log session opened (the backlog), in order", async () => {
    const result = await run("seq 1 400");
    expect(result.output).toEqual(Array.from({ length: 400 }, (_, i) => String(i + 1)));
  });

  it("stops the dyno on abort and rejects", async () => {
    calls.length = 0;
    const stop = new AbortController();
    const running = run("echo started; sleep 60", {
      signal: stop.signal,
      onLine: (line) => line.text === "started" && stop.abort(new Error("stopped: cancel")),
    }).catch((e: Error) => e);
    const err = await running;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^the command was interrupted \(stopped: cancel\); dyno run\.\d+ was stopped$/);
    const name = /dyno (run\.\d+)/.exec((err as Error).message)![1]!;
    expect(calls.map(commandLine)).toContain(`heroku ps:stop ${name} -a ${SANDBOX_APP}`);
    await waitFor(async () => (await heroku.getDyno(SANDBOX_APP, name)).state === "crashed");
  });

  it("still stops the dyno when the run's own client refuses requests after the stop (the cleanup client)", async () => {
    // As in the worker: the run's client shares the signal that a cancel aborts.
    const stop = new AbortController();
    const on = herokuPlatform({ client: client(stop.signal), app: SANDBOX_APP, cleanup: client() });
    const err = await run("echo started; sleep 60", { on, signal: stop.signal, onLine: (l) => l.text === "started" && stop.abort(new Error("stopped: rollback")) })
      .catch((e: Error) => e);
    expect((err as Error).message).toMatch(/interrupted \(stopped: rollback\); dyno run\.\d+ was stopped$/);
    const name = /dyno (run\.\d+)/.exec((err as Error).message)![1]!;
    await waitFor(async () => (await heroku.getDyno(SANDBOX_APP, name)).state === "crashed");
  });

  it("refuses to start when already aborted", async () => {
    const stop = new AbortController();
    stop.abort(new Error("stopped: cancel"));
    calls.length = 0;
    await expect(run("echo never", { signal: stop.signal })).rejects.toThrow("stopped: cancel");
    expect(calls).toEqual([]);
  });
});
