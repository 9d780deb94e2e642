import { describe, expect, it } from "vitest";
import { commandLine } from "./commands";
import { createOutputCollector, exitStatusIn, parseLogLine } from "./one-off-output";

const at = "2030-01-01T00:00:00.000Z";

describe("one-off output", () => {
  it("parses log lines and the platform's exit line", () => {
    const parsed = parseLogLine(`${at} heroku[run.1234]: Process exited with status 3`)!;
    expect(parsed).toEqual({ at, source: "heroku", dyno: "run.1234", text: "Process exited with status 3" });
    expect(exitStatusIn(parsed)).toBe(3);
    expect(exitStatusIn({ ...parsed, source: "app" })).toBeNull();
    expect(parseLogLine("not a log line")).toBeNull();
  });

  it("collects the dyno's output and is done after the exit status and the final state", () => {
    const c = createOutputCollector({ dyno: "run.1" });
    c.add(`${at} heroku[run.1]: Starting process with command \`echo hi\``);
    c.add(`${at} app[run.1]: hi`);
    c.add(`${at} app[run.2]: another dyno`);
    c.add(`${at} heroku[run.2]: Process exited with status 9`);
    expect(c.done()).toBe(false);
    c.add(`${at} heroku[run.1]: Process exited with status 0`);
    expect(c.done()).toBe(false);
    c.add(`${at} heroku[run.1]: State changed from up to complete`);
    expect(c.done()).toBe(true);
    expect(c.result).toMatchObject({ output: ["hi"], exitStatus: 0, droppedLines: 0 });
    expect(c.result.lines).toHaveLength(6);
  });

  it("hands each of the dyno's lines to onLine as it comes, the platform's included", () => {
    const seen: string[] = [];
    const c = createOutputCollector({ dyno: "run.1", onLine: (l) => seen.push(`${l.source}:${l.text}`) });
    c.add(`${at} app[run.1]: one`);
    c.add(`${at} app[run.2]: not ours`);
    c.add("not a log line");
    c.add(`${at} heroku[run.1]: Process exited with status 0`);
    expect(seen).toEqual(["app:one", "heroku:Process exited with status 0"]);
  });

  it("keeps the last maxLines lines and counts the dropped ones", () => {
    const c = createOutputCollector({ maxLines: 2 });
    for (const n of [1, 2, 3]) c.add(`${at} app[run.5]: ${n}`);
    expect(c.result).toMatchObject({ lines: [`${at} app[run.5]: 2`, `${at} app[run.5]: 3`], output: ["2", "3"], droppedLines: 1 });
  });

  it("writes run:detached, ps and logs as CLI lines without env values", () => {
    expect(commandLine({ command: "run:detached", app: "acme", run: "bin/migrate --now", envNames: ["A", "B"] }))
      .toBe("heroku run:detached -a acme -e 'A=****;B=****' -- 'bin/migrate --now'");
    expect(commandLine({ command: "run:detached", app: "acme", run: "true", envNames: [], size: "standard-2X" }))
      .toBe("heroku run:detached -a acme -s standard-2X -- true");
    expect(commandLine({ command: "ps", app: "acme", dyno: "run.1234" })).toBe("heroku ps run.1234 -a acme");
    expect(commandLine({ command: "ps:stop", app: "acme", dyno: "run.1234" })).toBe("heroku ps:stop run.1234 -a acme");
    expect(commandLine({ command: "logs", app: "acme", dyno: "run.1234", lines: 50, tail: true }))
      .toBe("heroku logs -a acme --dyno run.1234 -n 50 --tail");
  });
});
