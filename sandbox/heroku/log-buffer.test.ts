import { describe, expect, it } from "vitest";
import { LogBuffer, formatLogLine, matchesFilter } from "./log-buffer";

const at = "2030-01-01T00:00:00.000Z";
const line = (dyno: string, text: string, source: "app" | "heroku" = "app") => ({ at, source, dyno, text });

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe("LogBuffer", () => {
  it("formats lines as the log file does", () => {
    expect(formatLogLine(line("run.1234", "hello"))).toBe(`${at} app[run.1234]: hello\n`);
  });

  it("filters by dyno name, process type and source", () => {
    const stored = { seq: 1, ...line("run.1234", "x", "heroku") };
    expect(matchesFilter(stored, { dyno: "run.1234" })).toBe(true);
    expect(matchesFilter(stored, { dyno: "run" })).toBe(true);
    expect(matchesFilter(stored, { dyno: "run.123" })).toBe(false);
    expect(matchesFilter(stored, { source: "app" })).toBe(false);
    expect(matchesFilter(stored, { dyno: "run", source: "heroku" })).toBe(true);
  });

  it("sends the last N matching lines, oldest first, and stops without tail", async () => {
    const logs = new LogBuffer();
    for (let i = 1; i <= 5; i++) logs.append(line(i % 2 ? "run.1" : "web.1", `line ${i}`));
    const text = await collect(logs.follow({ dyno: "run.1" }, { lines: 2, tail: false, signal: new AbortController().signal }));
    expect(text).toBe(`${at} app[run.1]: line 3\n${at} app[run.1]: line 5\n`);
  });

  it("keeps at most its capacity", () => {
    const logs = new LogBuffer(3);
    for (let i = 1; i <= 5; i++) logs.append(line("run.1", `line ${i}`));
    expect(logs.recent({}, 10).map((l) => l.text)).toEqual(["line 3", "line 4", "line 5"]);
  });

  it("tails a dyno until it has ended, including the lines written just before the end", async () => {
    const logs = new LogBuffer();
    logs.append(line("run.7", "before"));
    const reading = collect(logs.follow({ dyno: "run.7" }, { lines: 100, tail: true, signal: new AbortController().signal }));
    await new Promise((r) => setTimeout(r, 10));
    logs.append(line("web.1", "not this one"));
    logs.append(line("run.7", "during"));
    logs.append(line("run.7", "Process exited with status 0", "heroku"));
    logs.end("run.7");
    logs.append(line("run.7", "never: after the end"));
    const text = await reading;
    expect(text.split("\n").filter(Boolean).map((l) => l.slice(at.length + 1))).toEqual([
      "app[run.7]: before", "app[run.7]: during", "heroku[run.7]: Process exited with status 0",
    ]);
  });

  it("ends a tail of an already finished dyno after its backlog", async () => {
    const logs = new LogBuffer();
    logs.append(line("run.8", "done"));
    logs.end("run.8");
    expect(await collect(logs.follow({ dyno: "run.8" }, { lines: 10, tail: true, signal: new AbortController().signal }))).toContain("done");
  });

  it("ends an open-ended tail when the client goes away", async () => {
    const logs = new LogBuffer();
    const gone = new AbortController();
    const reading = collect(logs.follow({}, { lines: 10, tail: true, signal: gone.signal }));
    logs.append(line("web.1", "live"));
    await new Promise((r) => setTimeout(r, 10));
    gone.abort();
    expect(await reading).toContain("live");
  });
});
