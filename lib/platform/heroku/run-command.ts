// AppPlatform.runCommand on Heroku: `heroku run:detached`, its output read from a log session as
// it comes, the exit status from the platform's `Process exited with status N` line.
import { setTimeout as sleep } from "node:timers/promises";
import { HerokuApiError, type ParsedLogLine, readOneOffOutput } from "@/lib/heroku";
import type { CommandResult, RunCommandInput } from "../types";
import type { HerokuBinding } from "./binding";

// Heroku's (and the emulator's) limit for a one-off dyno's time_to_live.
const MAX_TIME_TO_LIVE_S = 86_400;
// The dyno outlives our own timeout a little, so our stop (and its message) comes first; the
// time_to_live still ends it if the worker dies while it runs.
const TIME_TO_LIVE_MARGIN_S = 60;
// Lines written before the log session opened are replayed from the platform's buffer (Heroku keeps 1500).
const BACKLOG_LINES = 1500;
// A tail that ends or breaks before the exit line (a dropped connection) is opened again, this many times at most.
const MAX_REOPENS = 5;
const REOPEN_PAUSE_MS = 250;

export function timeToLiveFor(timeoutMs: number): number {
  return Math.min(MAX_TIME_TO_LIVE_S, Math.max(1, Math.ceil(timeoutMs / 1000)) + TIME_TO_LIVE_MARGIN_S);
}

/**
 * Starts the command on a detached one-off dyno with the app's current config (nothing of ours
 * is added to its env, so no value is ever written anywhere), streams its lines to `onLine` and
 * resolves with its exit status. On abort, timeout or a failure to read it, the dyno is stopped.
 */
export async function runCommand(heroku: HerokuBinding, input: RunCommandInput): Promise<CommandResult> {
  input.signal.throwIfAborted();
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = AbortSignal.any([input.signal, timeout]);
  const timeToLiveS = timeToLiveFor(input.timeoutMs);
  const dyno = await heroku.client.runDetached(heroku.app, { command: input.command, timeToLiveS });
  try {
    return { exitStatus: await follow(heroku, dyno.name, input, signal), processName: dyno.name };
  } catch (err) {
    const stopped = await stop(heroku, dyno.name, timeToLiveS);
    if (input.signal.aborted) throw new Error(`the command was interrupted (${reasonOf(input.signal)}); ${stopped}`, { cause: err });
    if (timeout.aborted) throw new Error(`the command did not finish within ${formatSeconds(input.timeoutMs)}; ${stopped}`, { cause: err });
    throw new Error(`${(err as Error).message}; ${stopped}`, { cause: err });
  }
}

/** Reads the dyno's log session until its exit line, opening it again if the stream ends early. */
async function follow({ client, app }: HerokuBinding, name: string, input: RunCommandInput, signal: AbortSignal): Promise<number> {
  // A reopened session replays lines already handed on: skip up to the last one (by timestamp and
  // how many lines carried that timestamp).
  let lastAt = "";
  let atLastAt = 0;
  for (let reopened = 0; ; reopened++) {
    let skipSame = atLastAt;
    const onLine = (line: ParsedLogLine) => {
      if (reopened > 0 && line.at < lastAt) return;
      if (line.at === lastAt && skipSame > 0) return void skipSame--;
      atLastAt = line.at === lastAt ? atLastAt + 1 : 1;
      lastAt = line.at;
      input.onLine({ from: line.source === "app" ? "process" : "platform", text: line.text });
    };
    const session = await client.createLogSession(app, { dyno: name, tail: true, lines: BACKLOG_LINES });
    let broke: Error | null = null;
    try {
      // Only the exit status is kept: the lines went to onLine.
      const { exitStatus } = await readOneOffOutput(session.logplex_url, { dyno: name, signal, maxLines: 1, onLine });
      if (exitStatus !== null) return exitStatus;
    } catch (err) {
      if (signal.aborted) throw err;
      broke = err as Error;
    }
    signal.throwIfAborted();
    if (reopened >= MAX_REOPENS) {
      throw new Error(`the log stream of ${name} ${broke ? "broke" : "ended"} ${reopened + 1} times before the process exited${broke ? ` (last: ${broke.message})` : ""}`);
    }
    await sleep(REOPEN_PAUSE_MS * (reopened + 1), undefined, { signal });
  }
}

/** Stops the dyno; says what became of it, for the error message. Never throws. */
async function stop({ client, cleanup, app }: HerokuBinding, name: string, timeToLiveS: number): Promise<string> {
  try {
    await (cleanup ?? client).stopDyno(app, name);
    return `dyno ${name} was stopped`;
  } catch (err) {
    // 404: gone already; the emulator answers 422 for a one-off that has finished.
    if (err instanceof HerokuApiError && (err.status === 404 || err.status === 422)) return `dyno ${name} had already ended`;
    return `stopping dyno ${name} failed (${(err as Error).message}); it ends at its time_to_live of ${timeToLiveS} s`;
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

const formatSeconds = (ms: number) => `${Math.round(ms / 1000)} s`;
