import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isPidAlive } from "@/lib/os/pid-alive";

// Temp folders carry the creating process's pid, so a later worker can tell abandoned ones apart.
export const PASSFILE_PREFIX = "switchyard-pgpass-";
export const DUMP_PREFIX = "switchyard-dump-";

/**
 * A worker killed mid-copy cannot run its `finally`: its password file (a secret) and dump
 * directory (as large as the data) stay behind. Removes those whose process is gone.
 */
export async function removeLeftovers(workDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const [dir, prefix] of [[tmpdir(), PASSFILE_PREFIX], [workDir, DUMP_PREFIX]] as const) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length).split("-")[0]) : NaN;
      if (!Number.isInteger(pid) || pid <= 0 || isPidAlive(pid)) continue;
      await rm(path.join(dir, entry), { recursive: true, force: true });
      removed.push(path.join(dir, entry));
    }
  }
  return removed;
}
