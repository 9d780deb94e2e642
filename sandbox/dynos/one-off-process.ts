// One one-off dyno's process: `sh -c <command>` in the app's folder, its own process group,
// output line by line, and the exit status as Heroku reports it once every line is read.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import readline from "node:readline";
import { childProcessEnv } from "@/lib/child-env";
import { APP_ROOT, type DynoProcess } from "./dyno-process";

export interface OneOffProcessOptions {
  id: string;
  name: string;
  command: string;
  /** The whole environment: nothing of the sandbox's own is inherited. */
  env: Record<string, string>;
  port: number;
  releaseVersion: number;
}

export interface OneOffProcessEvents {
  up(): void;
  line(text: string): void;
  /** Called once, after the last line; `error` when it could not start. */
  ended(status: number, error?: string): void;
}

// Logplex truncates long lines too; a binary blob on stdout must not become one huge line.
const MAX_LINE_CHARS = 10_000;
// What a shell answers when it cannot run a command.
const NOT_STARTED = 127;

/** Exit status as Heroku reports it: the code, or 128 + the signal number. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the whole group is gone already
  }
}

/** A DynoProcess (so stopDyno can stop it), or undefined when it could not even be spawned. */
export function spawnOneOff(opts: OneOffProcessOptions, events: OneOffProcessEvents): DynoProcess | undefined {
  let child;
  try {
    child = spawn("sh", ["-c", opts.command], { cwd: APP_ROOT, env: childProcessEnv(opts.env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    events.ended(NOT_STARTED, (error as Error).message);
    return undefined;
  }
  let ended = false;
  const end = (status: number, error?: string) => {
    if (ended) return;
    ended = true;
    events.ended(status, error);
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const outputsClosed = [child.stdout!, child.stderr!].map((stream) => {
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    lines.on("line", (line) => events.line(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} [truncated]` : line));
    return new Promise<void>((resolve) => lines.once("close", () => resolve()));
  });
  child.once("spawn", () => events.up());
  // Without a pid it never started; a failed spawn may still report an exit, hence `end` once.
  child.once("error", (error) => {
    if (child.pid === undefined) end(NOT_STARTED, error.message);
  });
  // When the main process exits the dyno is torn down: leftovers in its group die with it.
  child.once("exit", () => killGroup(child.pid));
  child.once("close", (code, signal) => void Promise.all(outputsClosed).then(() => end(exitStatusOf(code, signal))));
  return { id: opts.id, name: opts.name, type: "run", port: opts.port, child, exited, stopping: false, releaseVersion: opts.releaseVersion, announced: Promise.resolve(true) };
}
