import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HerokuClient } from "@/lib/heroku";
import type { CommandLine } from "../types";
import { runCommand, timeToLiveFor } from "./run-command";

// A log stream that drops before the exit line is opened again; the replayed backlog is not handed on twice.
const T1 = "2030-01-01T00:00:01.000Z";
const T2 = "2030-01-01T00:00:02.000Z";
const T3 = "2030-01-01T00:00:03.000Z";
const SESSIONS = [
  [`${T1} app[run.7]: A`, `${T2} app[run.7]: x`],
  [`${T1} app[run.7]: A`, `${T2} app[run.7]: x`, `${T2} app[run.7]: x`, `${T3} app[run.7]: B`, `${T3} heroku[run.7]: Process exited with status 0`, `${T3} heroku[run.7]: State changed from up to complete`],
];

let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const lines = SESSIONS[Number(/\/s(\d+)/.exec(req.url ?? "")?.[1])] ?? [];
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(lines.map((l) => `${l}\n`).join(""));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fakeClient() {
  const calls: string[] = [];
  let sessions = 0;
  const client = {
    runDetached: async (_app: string, input: { command: string; timeToLiveS?: number }) => (calls.push(`run ${input.timeToLiveS}`), { name: "run.7" }),
    createLogSession: async () => ({ id: "s", logplex_url: `${base}/s${sessions++}` }),
    stopDyno: async () => void calls.push("stop"),
  };
  return { client: client as unknown as HerokuClient, calls };
}

describe("runCommand (Heroku)", () => {
  it("opens the log again when it ends before the exit line, handing on each line once", async () => {
    const { client, calls } = fakeClient();
    const lines: CommandLine[] = [];
    const result = await runCommand({ client, app: "acme" }, { command: "x", timeoutMs: 5_000, signal: new AbortController().signal, onLine: (l) => lines.push(l) });
    expect(result).toEqual({ exitStatus: 0, processName: "run.7" });
    expect(lines.filter((l) => l.from === "process").map((l) => l.text)).toEqual(["A", "x", "x", "B"]);
    expect(lines.filter((l) => l.from === "platform").map((l) => l.text)).toEqual(["Process exited with status 0", "State changed from up to complete"]);
    expect(calls).toEqual([`run ${timeToLiveFor(5_000)}`]);
  });

  it("gives the dyno a time_to_live a little past the timeout, within Heroku's 24 hours", () => {
    expect(timeToLiveFor(1_800_000)).toBe(1_860);
    expect(timeToLiveFor(500)).toBe(61);
    expect(timeToLiveFor(100_000_000)).toBe(86_400);
  });
});
