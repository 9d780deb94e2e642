import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** `${SWITCHYARD_HOME}/processes.json`: which pids `npm run dev` runs now, for scripts and tests. */
export interface ProcessList {
  orchestrator: number;
  children: Record<string, { pid: number; startedAt: string; restarts: number }>;
}

export function processListFile(home: string): string {
  return path.join(home, "processes.json");
}

export function createProcessList(home: string) {
  const list: ProcessList = { orchestrator: process.pid, children: {} };
  const save = () => writeFileSync(processListFile(home), `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
  return {
    record(name: string, pid: number, restarts: number) {
      list.children[name] = { pid, startedAt: new Date().toISOString(), restarts };
      save();
    },
    remove() {
      rmSync(processListFile(home), { force: true });
    },
  };
}
