import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { canTraverse, type RunAs } from "./embedded-install";
import { readPostmasterPid } from "./stale-server";

export const DATA_HOME = "/var/lib/switchyard";
const ORIGIN = "origin";
const ORPHAN_GRACE_MS = 60_000;

/**
 * Where the data directory really lives: where asked, or — when the server's user cannot reach
 * that folder — under /var/lib/switchyard, with a symlink left where it was asked for.
 */
export async function placeDataDir(dataDir: string, who: RunAs): Promise<string> {
  const wanted = path.resolve(dataDir);
  const link = await lstat(wanted).catch(() => null);
  if (link?.isSymbolicLink()) return path.resolve(path.dirname(wanted), await readlink(wanted));
  if (await canTraverse(path.dirname(wanted), who)) return wanted;
  if (link) {
    throw new Error(
      `the data directory ${wanted} is out of the "postgres" user's reach (a folder above it is private); move it out, or set SWITCHYARD_HOME to a folder others may enter`,
    );
  }
  await sweepOrphans();
  const home = path.join(DATA_HOME, createHash("sha256").update(wanted).digest("hex").slice(0, 16));
  await mkdir(home, { recursive: true, mode: 0o755 });
  await writeFile(path.join(home, ORIGIN), wanted);
  await symlink(path.join(home, "data"), wanted);
  return path.join(home, "data");
}

// Throwaway folders (a test's mktemp) go away without stopping to remove what was moved out.
async function sweepOrphans(): Promise<void> {
  for (const name of await readdir(DATA_HOME).catch(() => [] as string[])) {
    const home = path.join(DATA_HOME, name);
    const origin = await readFile(path.join(home, ORIGIN), "utf8").catch(() => null);
    if (origin === null || (await lstat(origin).catch(() => null))) continue;
    const info = await stat(home).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < ORPHAN_GRACE_MS) continue;
    if (await readPostmasterPid(path.join(home, "data"))) continue;
    await rm(home, { recursive: true, force: true });
  }
}
