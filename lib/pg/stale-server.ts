import { readFile } from "node:fs/promises";
import path from "node:path";
import { isPidAlive } from "@/lib/os/pid-alive";

/** The postmaster pid recorded in a data directory, if that process is still alive. */
export async function readPostmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(text?.split("\n")[0]);
  return pid && isPidAlive(pid) ? pid : null;
}

/** Fast shutdown (SIGINT) of a server, waiting up to 20 s for it to exit. */
export async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!isPidAlive(pid)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop within 20 s`);
}
