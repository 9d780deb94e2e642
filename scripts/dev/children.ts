import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** Spawns a child in its own process group, its output prefixed with its name. */
export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const label = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      process.stdout.write(`${label}${line}\n`);
      onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, process: child, exited };
}

/** SIGTERM to the whole group (next dev has children of its own), SIGKILL if it lingers. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
  // The leader may exit before its own children; make sure none of the group is left.
  signalGroup(child, "SIGKILL");
}

export function killGroup(child: Child, signal: NodeJS.Signals): void {
  signalGroup(child, signal);
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.process.pid!, signal);
  } catch {
    // The group is already gone.
  }
}
