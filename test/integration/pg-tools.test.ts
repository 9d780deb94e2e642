import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { connect } from "@/lib/pg/connect";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "@/worker/engine/step-logger";
import { checkToolsFor, inspectDatabase } from "@/worker/steps/postgres/inspect";
import { createPassfile, escapePassfileField, passfileLine, urlWithoutPassword } from "@/worker/steps/postgres/passfile";
import { runTool } from "@/worker/steps/postgres/run-tool";
import { toolEnv } from "@/worker/steps/postgres/tool-env";
import { isAlive } from "../support/process-tree";
import { useEmptyDatabase } from "../support/test-db";

const empty = useEmptyDatabase();
const SECRET = "s3cret:pa\\ss@word";

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

describe("passfile", () => {
  it("escapes ':' and '\\' and writes a 0600 file in a 0700 directory that remove() deletes", async () => {
    expect(escapePassfileField("a:b\\c")).toBe("a\\:b\\\\c");
    const url = `postgresql://app%3Auser:${encodeURIComponent(SECRET)}@db.example.com:6543/my%3Adb?sslmode=require`;
    expect(passfileLine(url)).toBe("db.example.com:6543:my\\:db:app\\:user:s3cret\\:pa\\\\ss@word");
    expect(urlWithoutPassword(url)).toBe("postgresql://app%3Auser@db.example.com:6543/my%3Adb?sslmode=require");
    const passfile = await createPassfile([url, "postgresql://nopass@host/db"]);
    expect(statSync(passfile.path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(passfile.path)).mode & 0o777).toBe(0o700);
    expect(readFileSync(passfile.path, "utf8").trim().split("\n")).toHaveLength(1);
    await passfile.remove();
    expect(existsSync(passfile.path)).toBe(false);
  });

  it("builds a child environment from scratch", () => {
    const env = toolEnv("/tmp/x/pgpass");
    expect(Object.keys(env).sort()).toEqual(["HOME", "LC_ALL", "PATH", "PGAPPNAME", "PGCONNECT_TIMEOUT", "PGPASSFILE"]);
  });
});

describe("runTool", () => {
  const sh = (script: string, signal?: AbortSignal, onSpawn?: (pid: number) => void) => {
    const log = memoryLogger();
    const run = runTool({ tool: "sh", args: ["-c", script], env: toolEnv("/nonexistent"), log, signal, secrets: [SECRET], onSpawn });
    return { log, run };
  };

  it("streams redacted lines and names the tool and its last stderr lines on failure", async () => {
    const { log, run } = sh(`echo "out ${SECRET}"; echo "pg_dump: error: bad thing postgres://u:${SECRET}@h/db" >&2; exit 3`);
    const err = await run.catch((e: Error) => e);
    expect(String(err)).toMatch(/sh exited with code 3: pg_dump: error: bad thing/);
    expect(String(err)).not.toContain(SECRET);
    expect(log.lines.map((l) => l.text)).toEqual(["out ****", "pg_dump: error: bad thing postgres://u:****@h/db"]);
  });

  it("resolves 0 on success and cannot start what does not exist", async () => {
    expect(await sh("echo ok").run).toBe(0);
    await expect(runTool({ tool: "no-such-pg-tool", args: [], env: toolEnv("/x"), log: memoryLogger() })).rejects.toThrow(/no-such-pg-tool could not be started/);
  });

  it("on abort sends SIGTERM, then SIGKILL to a child that ignores it", async () => {
    const abort = new AbortController();
    let pid = 0;
    const { run } = sh("trap '' TERM; while true; do sleep 0.1; done", abort.signal, (p) => (pid = p));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    abort.abort();
    await expect(run).rejects.toThrow(/sh was cancelled/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(isAlive(pid)).toBe(false);
  }, 15_000);
});

describe("inspectDatabase", () => {
  it("describes an empty database, then one with a table", async () => {
    const facts = await inspectDatabase(empty.url);
    expect(facts).toMatchObject({ serverMajor: 15, tables: 0, isEmpty: true });
    expect(facts.serverVersion).toMatch(/^15\.\d+$/);
    expect(facts.sizeBytes).toBeGreaterThan(0);
    const client = await connect(empty.url);
    await client.query("CREATE TABLE t (id serial PRIMARY KEY, v text UNIQUE); CREATE VIEW v AS SELECT 1 AS one");
    await client.end();
    const after = await inspectDatabase(empty.url);
    expect(after).toMatchObject({ tables: 1, isEmpty: false, objects: { tables: 1, indexes: 2, constraints: 2, views: 1, sequences: 1, functions: 0 } });
  });

  it("explains a wrong password without showing it", async () => {
    const wrong = "wrong-Pass-7781";
    const url = withPassword(empty.url, wrong);
    const err = await inspectDatabase(url).catch((e: Error) => e);
    const { port } = new URL(empty.url);
    expect(String(err)).toMatch(new RegExp(`could not connect to 127\\.0\\.0\\.1:${port}/${empty.name} as postgres: password authentication failed`));
    expect(String(err)).not.toContain(wrong);
  });

  it("explains a refused connection", async () => {
    const url = new URL(empty.url);
    url.port = "1";
    await expect(inspectDatabase(url.toString())).rejects.toThrow(/could not connect to 127\.0\.0\.1:1\/\S+ as postgres: connection refused/);
  });
});

describe("checkToolsFor", () => {
  it("accepts the installed tools for PostgreSQL 15 and refuses newer servers clearly", async () => {
    expect((await checkToolsFor(15, 15)).map((t) => t.tool)).toEqual(["pg_dump", "pg_restore"]);
    await expect(checkToolsFor(99, 15)).rejects.toThrow(
      /^pg_dump 15\.\d+ is older than the source server \(PostgreSQL 99\): install postgresql-client-99 or newer.*; pg_restore 15\.\d+ is older/,
    );
    await expect(checkToolsFor(15, 98)).rejects.toThrow(/pg_dump 15\.\d+ is older than the target server \(PostgreSQL 98\)/);
  });
});
