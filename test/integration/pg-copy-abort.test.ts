import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "@/lib/pg/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSourceDatabase } from "@/sandbox/dataset";
import { memoryLogger } from "@/worker/engine/step-logger";
import { copyDatabase } from "@/worker/steps/postgres/copy";
import { descendants, isAlive } from "../support/process-tree";
import { useHerokuDatabase, useRdsDatabase } from "../support/platform-databases";

const source = useHerokuDatabase();
const target = useRdsDatabase();
let workDir: string;

beforeAll(async () => {
  await seedSourceDatabase(source.url, { scaleMb: 3 });
  workDir = await mkdtemp(path.join(tmpdir(), "pg-abort-test-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
// Debian's /usr/bin/pg_dump is a wrapper that execs /usr/lib/postgresql/<major>/bin/pg_dump.
const program = (pid: number) => path.basename(cmdline(pid)[0] ?? "");
const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);

async function waitFor<T>(find: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("cancelling a copy", () => {
  it("kills pg_dump (spawned without a password in argv or env) and removes the dump and passfile", async () => {
    // pg_dump waits for this lock, so it is certainly still running when we cancel.
    const blocker = await connect(source.url);
    blocker.on("error", () => undefined);
    await blocker.query("BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
    const abort = new AbortController();
    const log = memoryLogger();
    const copy = copyDatabase({ sourceUrl: source.url, targetUrl: target.url, jobs: 2, workDir, log, signal: abort.signal }).catch((e: Error) => e);
    const pid = await waitFor(() => descendants(process.pid).find((p) => isAlive(p) && program(p) === "pg_dump"));

    const password = decodeURIComponent(new URL(source.url).password);
    expect(cmdline(pid).join(" ")).not.toContain(password);
    const env = environ(pid);
    expect(env.some((e) => e.startsWith("PGPASSWORD"))).toBe(false);
    // Ours, plus what Debian's pg_wrapper adds before it execs the real binary.
    const ours = /^(PATH|HOME|PGPASSFILE|PGAPPNAME|PGCONNECT_TIMEOUT|LC_ALL|PGSSLMODE|PGSSLROOTCERT)=/;
    const wrapper = /^(PGCLUSTER|PGSYSCONFDIR|PGHOST|PGPORT)=/;
    expect(env.filter((e) => !ours.test(e) && !wrapper.test(e))).toEqual([]);
    expect(env).toContain("PGAPPNAME=switchyard");
    expect(env).toContain("PGSSLMODE=prefer"); // the URL names no sslmode: libpq's default, spelled out
    const passfile = env.find((e) => e.startsWith("PGPASSFILE="))!.slice("PGPASSFILE=".length);
    expect(existsSync(passfile)).toBe(true);

    abort.abort();
    const err = await copy;
    await blocker.query("ROLLBACK");
    await blocker.end();
    expect(String(err)).toMatch(/pg_dump was cancelled/);
    expect(isAlive(pid)).toBe(false);
    expect(descendants(process.pid).filter((p) => isAlive(p) && /^pg_(dump|restore)$/.test(program(p)))).toEqual([]);
    expect(existsSync(passfile)).toBe(false);
    expect(await readdir(workDir)).toEqual([]);
    expect(log.lines.map((l) => l.text).join("\n")).not.toContain(password);
  });
});
