import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { scrub } from "./scrub";
import type { StepLogger } from "@/worker/engine/step-logger";

export interface RunToolOptions {
  /** Program name (looked up on the env's PATH) or path. */
  tool: string;
  args: readonly string[];
  /** The child's complete environment (see toolEnv); nothing is inherited. */
  env: NodeJS.ProcessEnv;
  log: StepLogger;
  signal?: AbortSignal;
  /** Literal values masked in every logged line and error message (passwords). */
  secrets?: readonly string[];
  /** Sees every output line (already redacted), e.g. to parse progress. */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** Told the child's pid once it runs. */
  onSpawn?: (pid: number) => void;
}

const KILL_AFTER_MS = 5_000;
const TAIL_LINES = 30;
// Lines that explain a failure, as opposed to -v narration.
const ERROR_LINE = /\b(error|fatal|panic)\b|^(ERROR|FATAL|DETAIL|HINT):|from TOC entry|^Command was:/i;

/**
 * Runs a pg tool, streaming its output lines (redacted) to the step log. Resolves with exit code
 * 0; a non-zero exit, a signal or a cancellation rejects with a message naming the tool.
 */
export async function runTool(opts: RunToolOptions): Promise<number> {
  const secrets = opts.secrets ?? [];
  if (opts.signal?.aborted) throw cancelled(opts.tool);
  // Its own process group, so a cancellation reaches the parallel workers pg_dump forks too.
  const child = spawn(opts.tool, [...opts.args], { env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const tail: string[] = [];
  const lines = (stream: "stdout" | "stderr", from: Readable) =>
    forEachLine(from, (raw) => {
      const line = scrub(raw, secrets);
      opts.log.write(stream, line);
      opts.onLine?.(stream, line);
      if (stream === "stderr" && (tail.push(line), tail.length > TAIL_LINES)) tail.shift();
    });
  const drained = Promise.all([lines("stdout", child.stdout), lines("stderr", child.stderr)]);
  if (child.pid) opts.onSpawn?.(child.pid);
  const stop = groupTerminator(child.pid);
  opts.signal?.addEventListener("abort", stop.terminate, { once: true });
  try {
    const exit = await exitOf(child);
    stop.finish(); // forked workers keep the output pipes open; none may outlive a cancelled leader
    await drained;
    if (opts.signal?.aborted) throw cancelled(opts.tool);
    if (exit.error) throw new Error(scrub(`${opts.tool} could not be started: ${exit.error.message}`, secrets));
    if (exit.code === 0) return 0;
    const how = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
    throw new Error(`${opts.tool} ${how}${describeTail(tail)}`);
  } finally {
    opts.signal?.removeEventListener("abort", stop.terminate);
  }
}

function cancelled(tool: string): Error {
  const err = new Error(`${tool} was cancelled`);
  err.name = "AbortError";
  return err;
}

/** The failure lines at the end of stderr, or the last few lines when none look like errors. */
function describeTail(tail: readonly string[]): string {
  const errors = tail.filter((l) => ERROR_LINE.test(l));
  const chosen = (errors.length ? errors : tail).slice(-5);
  return chosen.length ? `: ${chosen.join(" | ").slice(0, 1500)}` : "";
}

/**
 * terminate: SIGTERM to the whole group (pg_dump then cancels its queries), SIGKILL after a grace
 * period. finish: once the leader has exited, a cancelled group's stragglers get SIGKILL at once.
 */
function groupTerminator(pid: number | undefined) {
  let timer: NodeJS.Timeout | undefined;
  return {
    terminate: () => {
      if (!pid) return;
      signalGroup(pid, "SIGTERM");
      timer = setTimeout(() => signalGroup(pid, "SIGKILL"), KILL_AFTER_MS);
    },
    finish: () => {
      if (!timer || !pid) return;
      clearTimeout(timer);
      signalGroup(pid, "SIGKILL");
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

function exitOf(child: ReturnType<typeof spawn>): Promise<Exit> {
  return new Promise((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

function forEachLine(stream: Readable, fn: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    rl.on("line", fn);
    rl.once("close", resolve);
  });
}
