import { readdir, readFile } from "node:fs/promises";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU milliseconds used so far by a process and its children that are still alive (PostgreSQL's
 * backends), from /proc; null where there is no /proc. Backends that exit between two readings
 * take their time with them, so this is a lower bound when connections come and go.
 */
export async function processTreeCpuMs(rootPid: number): Promise<number | null> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return null;
  }
  let ticks = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (!stat) continue;
    // Fields after the ")" that closes the command name: state ppid … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    if (pid !== rootPid && Number(fields[1]) !== rootPid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return Math.round((ticks / TICKS_PER_SECOND) * 1000);
}
