// What the emulator needs from whoever runs an app's one-off dynos (the sandbox's OneOffDynos),
// and the dyno JSON it answers with. The emulator itself starts no processes.
import type { LogBuffer } from "./log-buffer";
import { appRef } from "./serialize";
import type { AppRecord } from "./state";

export type OneOffState = "starting" | "up" | "complete" | "crashed";

export interface OneOffDyno {
  id: string;
  name: string;
  command: string;
  size: string;
  state: OneOffState;
  release: { id: string; version: number };
  createdAt: string;
  updatedAt: string;
}

export interface OneOffRequest {
  command: string;
  /** The body's `env`, applied over the release's config. */
  env: Record<string, string>;
  size: string;
  timeToLiveS: number;
  /** The app's effective config at the release the dyno runs. */
  config: Record<string, string>;
  release: { id: string; version: number };
}

export interface OneOffRunner {
  /** Starts the process; the answer is a snapshot taken while it is still `starting`. */
  run(request: OneOffRequest): Promise<OneOffDyno>;
  /** A running dyno, or a finished one still remembered. */
  get(name: string): OneOffDyno | undefined;
  list(): OneOffDyno[];
  /** SIGTERM, then SIGKILL after the grace period; false if no such dyno is running. */
  stop(name: string): boolean;
  /** The app's buffered log, which log sessions read. */
  logs: LogBuffer;
}

export function isRunning(dyno: OneOffDyno): boolean {
  return dyno.state === "starting" || dyno.state === "up";
}

/** Heroku's dyno JSON; attach_url is null because the emulator serves detached dynos only. */
export function oneOffJson(app: AppRecord, dyno: OneOffDyno) {
  return {
    id: dyno.id, name: dyno.name, command: dyno.command, state: dyno.state, type: "run", size: dyno.size,
    release: dyno.release, app: appRef(app), attach_url: null, created_at: dyno.createdAt, updated_at: dyno.updatedAt,
  };
}
